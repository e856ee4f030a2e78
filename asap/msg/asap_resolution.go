package msg

// This file holds handle resolution, RFC 5352 §2.2.5 and §2.2.6: a pool
// user (or PE) asks its home ENRP server for the pool elements behind a
// pool handle. It is the hot path of a pool user, so both decoders work
// without allocating and the response's pool elements are a view.

// HandleResolution is ASAP_HANDLE_RESOLUTION (RFC 5352 §2.2.5).
type HandleResolution struct {
	// Subscribe (S) asks the server to send updates of the pool for the
	// life of the association.
	Subscribe  bool
	PoolHandle []byte

	// Items is rsplib's Handle Resolution Option (not in RFC 5352): how
	// many pool elements the user wants; rsplib's registrar honours it.
	// It is sent when HasItems is set. This is the one message where the
	// option is recognized (see ParamType.Known).
	Items    uint32
	HasItems bool

	// Unrecognized holds the skipped parameters of unknown types. A
	// Handle Resolution Option in it is not encoded: here it is known,
	// and Items carries it.
	Unrecognized Unrecognized
}

// MessageType returns ASAPHandleResolution.
func (m *HandleResolution) MessageType() MessageType { return ASAPHandleResolution }

// Len returns the message length field.
func (m *HandleResolution) Len() int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	if m.HasItems {
		s.add(hrOptParamLen)
	}
	m.Unrecognized.l.size(&s, unknownInResolution)
	return s.total()
}

// Append appends the message and its padding.
func (m *HandleResolution) Append(b []byte) []byte {
	b = appendHeader(b, ASAPHandleResolution, flag(m.Subscribe, flagResolutionSubscribe), m.Len())
	b = appendHandle(b, m.PoolHandle)
	if m.HasItems {
		b = appendU32Param(b, ParamHandleResolutionOption, m.Items)
	}
	return m.Unrecognized.l.appendTo(b, unknownInResolution)
}

// Decode reads the message without allocating.
func (m *HandleResolution) Decode(v MessageView) error {
	if err := v.expect(ASAPHandleResolution, 0); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 0, pHandle|pHROpt, 0); err != nil {
		return err
	}
	if err := bd.need(v, pHandle); err != nil {
		return err
	}
	*m = HandleResolution{
		Subscribe:    v.Flags()&flagResolutionSubscribe != 0,
		PoolHandle:   bd.handle,
		Items:        bd.hrItems,
		HasItems:     bd.has(pHROpt),
		Unrecognized: bd.unk,
	}
	return nil
}

// HandleResolutionResponse is ASAP_HANDLE_RESOLUTION_RESPONSE (RFC 5352
// §2.2.6). A positive response carries at least one pool element and
// optionally the pool's overall policy (Round Robin when absent); a
// negative one carries an Operation Error instead, and neither policy nor
// pool elements. Encode refuses a response that breaks these rules, as
// the decoder does.
type HandleResolutionResponse struct {
	// Accept (A) says the server accepted the request for updates (S).
	// rsplib calls this bit "reject" in its headers but never sets it.
	Accept       bool
	PoolHandle   []byte
	Policy       Policy       // optional overall policy; the zero Policy when absent
	PoolElements PoolElements // a view; iterate with PoolElements.Iter
	Error        OperationError
	Unrecognized Unrecognized
}

// MessageType returns ASAPHandleResolutionResponse.
func (m *HandleResolutionResponse) MessageType() MessageType { return ASAPHandleResolutionResponse }

// Len returns the message length field.
func (m *HandleResolutionResponse) Len() int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	if !m.Policy.IsZero() {
		s.add(m.Policy.Len())
	}
	m.PoolElements.size(&s)
	if !m.Error.IsZero() {
		s.add(m.Error.Len())
	}
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *HandleResolutionResponse) Append(b []byte) []byte {
	b = appendHeader(b, ASAPHandleResolutionResponse, flag(m.Accept, flagResolutionAccept), m.Len())
	b = appendHandle(b, m.PoolHandle)
	if !m.Policy.IsZero() {
		b = m.Policy.Append(b)
	}
	b = m.PoolElements.appendTo(b)
	if !m.Error.IsZero() {
		b = m.Error.Append(b)
	}
	return m.Unrecognized.appendTo(b)
}

// check applies RFC 5352 §2.2.6: "At least one PE parameter MUST be
// present" in a positive response; a negative one has no PE parameters,
// and the overall policy "is not present when the response is negative".
func (m *HandleResolutionResponse) check() error {
	pes := m.PoolElements.Count() > 0
	switch {
	case !m.Error.IsZero() && pes:
		return encodeErr(ASAPHandleResolutionResponse, "pool elements in a negative response (RFC 5352 §2.2.6)")
	case !m.Error.IsZero() && !m.Policy.IsZero():
		return encodeErr(ASAPHandleResolutionResponse, "policy in a negative response (RFC 5352 §2.2.6)")
	case m.Error.IsZero() && !pes:
		return encodeErr(ASAPHandleResolutionResponse, "positive response without a pool element (RFC 5352 §2.2.6)")
	}
	return nil
}

// Decode reads the message without allocating; every pool element is
// checked, so iterating PoolElements afterwards cannot fail.
func (m *HandleResolutionResponse) Decode(v MessageView) error {
	if err := v.expect(ASAPHandleResolutionResponse, 0); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 0, pHandle|pPolicy|pOpErr, pPE); err != nil {
		return err
	}
	if err := bd.need(v, pHandle); err != nil {
		return err
	}
	switch {
	case bd.has(pOpErr) && bd.has(pPE):
		return v.err(0, "pool elements in a negative response")
	case bd.has(pOpErr) && bd.has(pPolicy):
		return v.err(0, "policy in a negative response")
	case !bd.has(pOpErr) && !bd.has(pPE):
		return v.err(0, "positive response without a pool element")
	}
	*m = HandleResolutionResponse{
		Accept:       v.Flags()&flagResolutionAccept != 0,
		PoolHandle:   bd.handle,
		Policy:       bd.policy,
		Error:        bd.opErr,
		Unrecognized: bd.unk,
	}
	if bd.has(pPE) {
		m.PoolElements = PoolElements{bd.all}
	}
	return nil
}
