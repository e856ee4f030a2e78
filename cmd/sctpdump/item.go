package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An item is one decoded thing (a chunk, a parameter, an error cause, an
// ASAP or ENRP message, a pool element) as a name and an ordered list of
// fields. Both outputs render the same items, so the text and the JSON
// never disagree on what a packet holds, and field names stay the same
// in both.
type item struct {
	name   string
	fields []field
}

// A field is one named value of an item. A value that is itself an item,
// or a list of items, is printed on lines of its own under its parent in
// the text output and nested in the JSON.
type field struct {
	key string
	val any
	// bare prints the value without its key in the text output, for
	// items whose name already says what the value is ("IPv4 Address
	// 10.0.0.1").
	bare bool
}

func (it *item) add(key string, val any) {
	it.fields = append(it.fields, field{key: key, val: val})
}

func (it *item) addBare(key string, val any) {
	it.fields = append(it.fields, field{key: key, val: val, bare: true})
}

// Value types with a text form of their own. Each also marshals to JSON
// in the form a program reading it wants: identifiers and tags as plain
// numbers, not as the hex strings people read.
type (
	hex32 uint32 // tags, identifiers: 0x%08x in text
	hex16 uint16 // checksums: 0x%04x in text
	hex8  uint8  // chunk flags: 0x%02x in text
	// quoted is an opaque byte string such as a pool handle, always
	// quoted in text. In JSON it is the string itself when it is valid
	// UTF-8, and otherwise the same Go escapes as in the text, so that
	// no byte is lost.
	quoted []byte
	// list is a list of scalar values, [a,b,c] in text.
	list []any
)

func (q quoted) MarshalJSON() ([]byte, error) {
	if utf8.Valid(q) {
		return json.Marshal(string(q))
	}
	s := strconv.Quote(string(q))
	return json.Marshal(s[1 : len(s)-1])
}

// texter is a value that knows its own text form; it also implements
// json.Marshaler for its JSON form.
type texter interface {
	text() string
}

// textOf renders a scalar value for the text output.
func textOf(v any) string {
	switch v := v.(type) {
	case texter:
		return v.text()
	case hex32:
		return fmt.Sprintf("0x%08x", uint32(v))
	case hex16:
		return fmt.Sprintf("0x%04x", uint16(v))
	case hex8:
		return fmt.Sprintf("0x%02x", uint8(v))
	case quoted:
		return strconv.Quote(string(v))
	case string:
		if v == "" || strings.ContainsAny(v, " \"=[],\t\n") || !strconv.CanBackquote(v) {
			return strconv.Quote(v)
		}
		return v
	case list:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = textOf(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case fmt.Stringer:
		return textOf(v.String())
	}
	return fmt.Sprint(v)
}

// writeText writes the item as a line at the given indentation, then its
// nested items below it, two spaces deeper.
func (it *item) writeText(b *bytes.Buffer, indent int) {
	b.WriteString(strings.Repeat(" ", indent))
	b.WriteString(it.name)
	var nested []item
	for _, f := range it.fields {
		switch v := f.val.(type) {
		case item:
			nested = append(nested, v)
			continue
		case []item:
			nested = append(nested, v...)
			continue
		case bool:
			// A flag is shown by its name when set, and not at all when
			// clear; JSON has it either way.
			if v {
				b.WriteByte(' ')
				b.WriteString(f.key)
			}
			continue
		}
		b.WriteByte(' ')
		if !f.bare {
			b.WriteString(f.key)
			b.WriteByte('=')
		}
		b.WriteString(textOf(f.val))
	}
	b.WriteByte('\n')
	for i := range nested {
		nested[i].writeText(b, indent+2)
	}
}

// MarshalJSON writes the item as an object whose first key is "type",
// the item's name, followed by its fields in order.
func (it item) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":`)
	name, _ := json.Marshal(it.name)
	b.Write(name)
	for _, f := range it.fields {
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := marshalValue(f.val)
		if err != nil {
			return nil, err
		}
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalValue is json.Marshal, except that a Stringer that has no JSON
// form of its own (a chunk type, a policy name) is written as its string,
// not as its underlying number, and that an empty list of items is [],
// never null, so that a program can iterate over it without a check.
func marshalValue(v any) ([]byte, error) {
	switch v := v.(type) {
	case []item:
		if v == nil {
			return []byte("[]"), nil
		}
	case json.Marshaler:
	case fmt.Stringer:
		return json.Marshal(v.String())
	}
	return json.Marshal(v)
}

// MarshalJSON writes the list with each element as marshalValue has it.
func (l list) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		v, err := marshalValue(e)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
