package tlv

import (
	"bytes"
	"slices"
	"testing"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name    string
		list    []byte
		off     int
		n, next int
		fail    Failure
	}{
		{"padded item", []byte{0, 1, 0, 5, 9, 0, 0, 0, 0, 2, 0, 4}, 0, 5, 8, Failure{}},
		{"second item", []byte{0, 1, 0, 5, 9, 0, 0, 0, 0, 2, 0, 4}, 8, 4, 12, Failure{}},
		{"last item without padding", []byte{0, 1, 0, 5, 9}, 0, 5, 5, Failure{}},
		{"short header", []byte{0, 1, 0, 4, 0, 1}, 4, 0, 0, Failure{Off: 4, Rule: "fewer than 4 bytes left for a header"}},
		{"length below 4", []byte{0, 7, 0, 3}, 0, 0, 0, Failure{Off: 2, Type: 7, HasType: true, Rule: "length below 4"}},
		{"length past end", []byte{0, 7, 0, 9, 1, 2, 3, 4}, 0, 0, 0, Failure{Off: 2, Type: 7, HasType: true, Rule: "length runs past the end of the enclosing structure"}},
		// RFC 9260 §3.2.1: padding is ignored, so a last item with 1 or
		// 2 of its 3 padding bytes inside the list ends the list.
		{"one padding byte of three", []byte{0, 7, 0, 5, 1, 0}, 0, 5, 6, Failure{}},
		{"two padding bytes of three", []byte{0, 7, 0, 5, 1, 0, 0}, 0, 5, 7, Failure{}},
		{"one padding byte of two", []byte{0, 1, 0, 4, 0, 7, 0, 6, 1, 2, 0}, 4, 6, 11, Failure{}},
	} {
		n, next, f := Cut(tc.list, tc.off)
		if n != tc.n || next != tc.next || f != tc.fail {
			t.Errorf("%s: got n %d next %d %+v, want n %d next %d %+v", tc.name, n, next, f, tc.n, tc.next, tc.fail)
		}
	}
}

func TestListLenAndPadding(t *testing.T) {
	// RFC 9260 §3.2 and RFC 5354 §2: the enclosing length counts every
	// item's padding but the last one's.
	list := AppendHeader(nil, 11, 6)
	list = AppendPad(append(list, 'a', 'b'), 6)
	list = AppendHeader(list, 11, 5)
	list = AppendPad(append(list, 'c'), 5)
	if !bytes.Equal(list, []byte{0, 11, 0, 6, 'a', 'b', 0, 0, 0, 11, 0, 5, 'c', 0, 0, 0}) {
		t.Fatalf("encoded %x", list)
	}
	if got := ListLen(list); got != 13 {
		t.Fatalf("ListLen %d, want 13", got)
	}
	if got := ListLen(list[:13]); got != 13 {
		t.Fatalf("ListLen without final padding %d, want 13", got)
	}
	for _, n := range []int{14, 15} {
		if got := ListLen(list[:n]); got != 13 {
			t.Fatalf("ListLen with %d of 3 padding bytes %d, want 13", n-13, got)
		}
	}
	if got := ListLen([]byte{0, 1, 0, 2}); got != 4 {
		t.Fatalf("ListLen of a broken list %d, want it whole", got)
	}
	for n, want := range map[int]int{0: 0, 1: 4, 4: 4, 5: 8, 7: 8} {
		if Pad4(n) != want || len(AppendPad(nil, n)) != want-n {
			t.Errorf("Pad4(%d)", n)
		}
	}
}

func TestIter(t *testing.T) {
	// Two items, the second without its padding, then one that breaks the
	// length rule; the list starts at offset 100 of the caller's buffer.
	list := []byte{0, 1, 0, 5, 9, 0, 0, 0, 0, 2, 0, 4, 0, 7, 0, 3}
	it := NewIter(list, 100)
	var got []int
	for item, off, ok := it.Next(); ok; item, off, ok = it.Next() {
		got = append(got, off, len(item))
	}
	if want := []int{100, 5, 108, 4}; !slices.Equal(got, want) {
		t.Errorf("items (offset, length) %v, want %v", got, want)
	}
	want := Failure{Off: 114, Type: 7, HasType: true, Rule: "length below 4"}
	if f := it.Failure(); f != want {
		t.Errorf("failure %+v, want %+v", f, want)
	}
	if _, _, ok := it.Next(); ok {
		t.Error("Next went on after a failure")
	}
	if got := want.Describe("parameter", func(uint16) string { return "Seven" }); got != "Seven parameter" {
		t.Errorf("Describe = %q", got)
	}
	if got := (Failure{Rule: "x"}).Describe("parameter", nil); got != "parameter" {
		t.Errorf("Describe without a type = %q", got)
	}
}
