package failover

import (
	"fmt"
	"image/color"
	"io"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Colours of the chart: one per path, and the marks.
var (
	colorPrimary   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colorAlternate = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	colorLost      = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colorCut       = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colorDetected  = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// WriteChart draws the timeline as SVG: the sequence number of each
// message against the time the receiver's application got it, coloured by
// the path its DATA chunk arrived on, with the cut and its detection as
// vertical lines. The left panel is the whole run; the right one zooms on
// the cut.
func WriteChart(w io.Writer, t *Timeline) error {
	r := t.Result()
	title := fmt.Sprintf("%s, %s\noutage %s, detection %s", t.Mode, t.Scenario.Title, fmtDur(r.Outage), fmtDetection(r))
	full, err := chartPanel(t, r, 0, t.End, title, 500)
	if err != nil {
		return err
	}
	from, to := zoomWindow(t)
	zoom, err := chartPanel(t, r, from, to, "around the cut", 0)
	if err != nil {
		return err
	}
	c := vgsvg.New(chartWidth, chartHeight)
	drawPanels(c, full, zoom)
	_, err = c.WriteTo(w)
	return err
}

// The size of the chart.
const (
	chartWidth  = 12 * vg.Inch
	chartHeight = 4.5 * vg.Inch
)

// drawPanels draws the two panels side by side on c.
func drawPanels(c vg.CanvasSizer, left, right *plot.Plot) {
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(12), PadTop: vg.Points(4),
		PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align([][]*plot.Plot{{left, right}}, tiles, draw.New(c))
	left.Draw(canvases[0][0])
	right.Draw(canvases[0][1])
}

// zoomWindow is the part of the run the right panel shows: from half
// before the cut to eight RTO.Min after it, so that a few timeouts of
// the configuration fit.
func zoomWindow(t *Timeline) (from, to time.Duration) {
	rtoMin := t.Scenario.Config.RTOMin
	if rtoMin == 0 {
		rtoMin = time.Second // RFC 9260 §16
	}
	span := max(8*rtoMin, 200*time.Millisecond)
	return max(0, t.Cut-span/2), min(t.End, t.Cut+span)
}

// chartPanel draws the messages delivered (or, for lost ones, sent)
// between from and to, thinned as panelPoints says.
func chartPanel(t *Timeline, r Result, from, to time.Duration, title string, thin float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "delivered at (s since the first message)"
	p.Y.Label.Text = "message sequence number"
	p.X.Min, p.X.Max = from.Seconds(), to.Seconds()
	p.X.Tick.Marker, p.Y.Tick.Marker = ticks{}, ticks{}
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())

	pts := panelPoints(t, from, to, thin)
	ymin, ymax := pts.ymin, pts.ymax
	series := []struct {
		name  string
		xys   plotter.XYs
		color color.Color
		shape draw.GlyphDrawer
	}{
		{"via primary", pts.primary, colorPrimary, draw.CircleGlyph{}},
		{"via alternate", pts.alternate, colorAlternate, draw.CircleGlyph{}},
		{"lost (at send time)", pts.lost, colorLost, draw.CrossGlyph{}},
	}
	for _, s := range series {
		if len(s.xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xys)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.color, Radius: vg.Points(1.5), Shape: s.shape}
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	vline := func(at time.Duration, name string, c color.Color) error {
		if at < from || at > to {
			return nil
		}
		l, err := plotter.NewLine(plotter.XYs{{X: at.Seconds(), Y: ymin}, {X: at.Seconds(), Y: ymax}})
		if err != nil {
			return err
		}
		l.LineStyle.Color = c
		l.LineStyle.Width = vg.Points(1)
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	if err := vline(t.Cut, "cut", colorCut); err != nil {
		return nil, err
	}
	if r.Detected {
		if err := vline(t.Cut+r.Detection, "primary out of active", colorDetected); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func abs(v float64) float64 { return max(v, -v) }

// fmtDur prints a duration as fmtMs does.
func fmtDur(d time.Duration) string { return fmtMs(ms(d)) }

// fmtDetection prints the detection time, or that there was none.
func fmtDetection(r Result) string {
	if !r.Detected {
		return "none"
	}
	return fmtDur(r.Detection)
}

// points are the messages of a panel by series, with the range of their
// sequence numbers.
type points struct {
	primary, alternate, lost plotter.XYs
	ymin, ymax               float64
}

// panelPoints returns the messages delivered (or, for lost ones, sent)
// between from and to. With thin > 0 it keeps a message only when it lies
// at least 1/thin of the panel's width or height away from the last one
// kept of its series: the shape and the gaps stay, the file shrinks.
func panelPoints(t *Timeline, from, to time.Duration, thin float64) points {
	var pts points
	ymin, ymax := -1.0, -1.0
	at := func(rec Record) time.Duration {
		if rec.Copies == 0 {
			return rec.Sent
		}
		return rec.Delivered
	}
	for _, rec := range t.Records {
		if a := at(rec); a >= from && a <= to {
			if ymin < 0 {
				ymin = float64(rec.Seq)
			}
			ymax = float64(rec.Seq)
		}
	}
	if ymin < 0 {
		ymin, ymax = 0, 1
	}
	pts.ymin, pts.ymax = ymin, ymax
	var dx, dy float64
	if thin > 0 {
		dx, dy = (to-from).Seconds()/thin, (ymax-ymin)/thin
	}
	add := func(s plotter.XYs, xy plotter.XY) plotter.XYs {
		if n := len(s); n > 0 && abs(xy.X-s[n-1].X) < dx && abs(xy.Y-s[n-1].Y) < dy {
			return s
		}
		return append(s, xy)
	}
	for _, rec := range t.Records {
		a := at(rec)
		if a < from || a > to {
			continue
		}
		xy := plotter.XY{X: a.Seconds(), Y: float64(rec.Seq)}
		switch {
		case rec.Copies == 0:
			pts.lost = add(pts.lost, xy)
		case rec.Path == PathAlternate:
			pts.alternate = add(pts.alternate, xy)
		default:
			pts.primary = add(pts.primary, xy)
		}
	}
	return pts
}
