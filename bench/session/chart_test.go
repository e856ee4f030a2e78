package session

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

var peColors = []color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}

// writeChart draws each ping's round trip against the time of its answer,
// coloured by the pool element that answered, with the kills as red
// vertical lines: the spikes are the failovers.
func writeChart(w io.Writer, mode string, pings []ping, ks []kill) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("session failover under load (%s): %d kills", mode, len(ks))
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "ping round trip (ms)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{}
	for i := range pes {
		var xy plotter.XYs
		for _, q := range pings {
			if int(q.pe) == i+1 {
				xy = append(xy, plotter.XY{X: q.at.Seconds(), Y: max(ms(q.rtt), 0.1)})
			}
		}
		if len(xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color = peColors[i%len(peColors)]
		sc.GlyphStyle.Radius = vg.Points(1.2)
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("PE %d", i+1), sc)
	}
	for _, k := range ks {
		l, err := plotter.NewLine(plotter.XYs{{X: k.at.Seconds(), Y: 0.1}, {X: k.at.Seconds(), Y: 2000}})
		if err != nil {
			return err
		}
		l.Color = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
		l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(l)
	}
	c := vgsvg.New(10*vg.Inch, 4*vg.Inch)
	p.Draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}
