package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Opaque byte strings such as pool handles keep every byte in both
// outputs: quoted with Go escapes in text, and in JSON as the string
// itself when it is UTF-8, else with the same escapes.
func TestQuotedBytes(t *testing.T) {
	for _, c := range []struct {
		in         []byte
		text, json string
	}{
		{[]byte("EchoPool"), `"EchoPool"`, `"EchoPool"`},
		{[]byte("é \"x\""), `"é \"x\""`, `"é \"x\""`},
		{[]byte{0xff, 'a', 0}, `"\xffa\x00"`, `"\\xffa\\x00"`},
	} {
		if got := textOf(quoted(c.in)); got != c.text {
			t.Errorf("%q: text %s, want %s", c.in, got, c.text)
		}
		got, err := json.Marshal(quoted(c.in))
		if err != nil || string(got) != c.json {
			t.Errorf("%q: JSON %s (%v), want %s", c.in, got, err, c.json)
		}
	}
}

// Nested items are lines of their own in text and nested objects in
// JSON, flags show by name only when set, and empty lists are [].
func TestItemForms(t *testing.T) {
	pe := item{name: "PE"}
	pe.add("pe_id", hex32(0x50d62a7d))
	msg := item{name: "ASAP_REGISTRATION_RESPONSE"}
	msg.add("reject", false)
	msg.add("handle", quoted("EchoPool"))
	msg.add("pes", []item{pe})
	msg.add("causes", []item(nil))
	msg.add("gaps", list{gapBlock{Start: 2, End: 3}})

	var b bytes.Buffer
	msg.writeText(&b, 2)
	wantText := "  ASAP_REGISTRATION_RESPONSE handle=\"EchoPool\" gaps=[2-3]\n    PE pe_id=0x50d62a7d\n"
	if b.String() != wantText {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), wantText)
	}
	got, err := json.Marshal(msg)
	wantJSON := `{"type":"ASAP_REGISTRATION_RESPONSE","reject":false,"handle":"EchoPool","pes":[{"type":"PE","pe_id":1356212861}],"causes":[],"gaps":[{"start":2,"end":3}]}`
	if err != nil || string(got) != wantJSON {
		t.Errorf("JSON %s (%v)\nwant %s", got, err, wantJSON)
	}
}
