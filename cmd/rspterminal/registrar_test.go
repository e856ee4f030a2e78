package main

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/asaptest"
)

// The registrar of these tests and the network around it.
var (
	regAddr        = asaptest.RegistrarAddr
	newNet         = asaptest.NewNet
	endpoint       = asaptest.Endpoint
	startRegistrar = asaptest.StartRegistrar
)

func await[T msg.Message](t *testing.T, r *asaptest.Registrar, d time.Duration) T {
	t.Helper()
	return asaptest.Await[T](t, r, d)
}
