package services

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/sctp"
)

// PPIDCalcApp marks the calculation service's data.
const PPIDCalcApp = 0x43414c43 // "CALC"

// The calculation protocol: a job (job identifier 8 bytes, steps 4
// bytes) is computed step by step, each step taking the server's step
// time; every Checkpoint steps the server hands the job's progress (job,
// step, accumulator: 8 + 4 + 8 bytes) to the user as a cookie. A new pool
// element given that cookie resumes the job from the checkpoint rather
// than from the start. The result is the job, the accumulator, the step
// the computation resumed from and the steps (8 + 8 + 4 + 4 bytes).
const (
	jobLen    = 12
	calcState = 20
	resultLen = 24
	// MaxJobSteps bounds a job a pool user may ask for.
	MaxJobSteps = 1 << 24
)

// Step is one step of the computation: any function whose result the
// client can check will do; this one mixes like a linear congruential
// generator.
func Step(acc uint64, i uint32) uint64 {
	return acc*6364136223846793005 + uint64(i) + 1442695040888963407
}

// Expected returns the result of a job computed in one go.
func Expected(job uint64, steps uint32) uint64 {
	acc := job
	for i := range steps {
		acc = Step(acc, i)
	}
	return acc
}

// Calc is the pool element's side of one calculation session.
type Calc struct {
	StepTime   time.Duration // time a step takes
	Checkpoint int           // steps between two checkpoint cookies; 0 means 10

	job  uint64
	step uint32
	acc  uint64
	have bool // job, step and acc hold a restored checkpoint
}

// Restore takes the checkpoint of an echoed cookie.
func (c *Calc) Restore(state []byte) error {
	if len(state) != calcState {
		return errors.New("services: calculation state of the wrong length")
	}
	c.job = binary.BigEndian.Uint64(state)
	c.step = binary.BigEndian.Uint32(state[8:])
	c.acc = binary.BigEndian.Uint64(state[12:])
	c.have = true
	return nil
}

func (c *Calc) state() []byte {
	b := binary.BigEndian.AppendUint64(nil, c.job)
	b = binary.BigEndian.AppendUint32(b, c.step)
	return binary.BigEndian.AppendUint64(b, c.acc)
}

// Serve computes jobs until the association ends. answered, when not
// nil, is called after each checkpoint and each result.
func (c *Calc) Serve(ctx context.Context, ss *asap.ServerSession, answered func()) error {
	every := c.Checkpoint
	if every <= 0 {
		every = 10
	}
	for {
		m, err := ss.Receive(ctx)
		if err != nil {
			return err
		}
		if m.PPID != PPIDCalcApp || len(m.Data) != jobLen {
			return ErrMalformed
		}
		job := binary.BigEndian.Uint64(m.Data)
		steps := binary.BigEndian.Uint32(m.Data[8:])
		if steps > MaxJobSteps {
			return ErrMalformed
		}
		if !c.have || c.job != job || c.step > steps {
			c.job, c.step, c.acc = job, 0, job
		}
		c.have = true
		from := c.step
		for c.step < steps {
			if c.StepTime > 0 {
				t := time.NewTimer(c.StepTime)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return ctx.Err()
				}
			}
			c.acc = Step(c.acc, c.step)
			c.step++
			if int(c.step)%every == 0 || c.step == steps {
				if err := ss.SendCookie(ctx, c.state()); err != nil {
					return err
				}
				if answered != nil {
					answered()
				}
			}
		}
		r := binary.BigEndian.AppendUint64(nil, job)
		r = binary.BigEndian.AppendUint64(r, c.acc)
		r = binary.BigEndian.AppendUint32(r, from)
		r = binary.BigEndian.AppendUint32(r, steps)
		if err := ss.Send(ctx, sctp.Message{Stream: m.Stream, PPID: PPIDCalcApp, Data: r}); err != nil {
			return err
		}
		if answered != nil {
			answered()
		}
	}
}

// Result is a job's outcome.
type Result struct {
	Job         uint64
	Value       uint64
	ResumedFrom uint32 // the step the last pool element started from
	Steps       uint32
	Resent      int // times the job was sent again after a failover
}

// ErrWrongResult says a job's result is not what computing it in one go
// gives: state was lost or corrupted on the way.
var ErrWrongResult = errors.New("services: wrong calculation result")

// CalcClient is the pool user's side of a calculation session.
type CalcClient struct {
	S *asap.Session
}

// Run has job computed in steps and checks the result; after each
// failover it sends the job again, and the new pool element resumes it
// from the checkpoint cookie.
func (c *CalcClient) Run(ctx context.Context, job uint64, steps uint32) (Result, error) {
	req := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, job), steps)
	m := sctp.Message{PPID: PPIDCalcApp, Data: req}
	if err := c.S.Send(ctx, m); err != nil {
		return Result{}, err
	}
	resent := 0
	for {
		a, err := c.S.Receive(ctx)
		if errors.Is(err, asap.ErrFailover) {
			resent++
			if err := c.S.Send(ctx, m); err != nil {
				return Result{}, err
			}
			continue
		}
		if err != nil {
			return Result{}, err
		}
		if a.PPID != PPIDCalcApp || len(a.Data) != resultLen {
			return Result{}, ErrMalformed
		}
		r := Result{
			Job:         binary.BigEndian.Uint64(a.Data),
			Value:       binary.BigEndian.Uint64(a.Data[8:]),
			ResumedFrom: binary.BigEndian.Uint32(a.Data[16:]),
			Steps:       binary.BigEndian.Uint32(a.Data[20:]),
			Resent:      resent,
		}
		if r.Job != job {
			continue
		}
		if r.Value != Expected(job, steps) {
			return r, ErrWrongResult
		}
		return r, nil
	}
}
