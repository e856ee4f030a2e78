package msg

// This file holds the ASAP registration messages of RFC 5352 §2.2.1-§2.2.4:
// how a PE joins and leaves a pool at its home ENRP server.

// Registration is ASAP_REGISTRATION (RFC 5352 §2.2.1): a PE asks its home
// ENRP server to add it to the pool, creating the pool if need be.
type Registration struct {
	PoolHandle   []byte
	PoolElement  PoolElement
	Unrecognized Unrecognized
}

// MessageType returns ASAPRegistration.
func (m *Registration) MessageType() MessageType { return ASAPRegistration }

// Len returns the message length field.
func (m *Registration) Len() int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	s.add(m.PoolElement.Len())
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *Registration) Append(b []byte) []byte {
	b = appendHeader(b, ASAPRegistration, 0, m.Len())
	b = appendHandle(b, m.PoolHandle)
	b = m.PoolElement.Append(b)
	return m.Unrecognized.appendTo(b)
}

// Decode reads the message: a Pool Handle and a Pool Element parameter.
func (m *Registration) Decode(v MessageView) error {
	if err := v.expect(ASAPRegistration, 0); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 0, pHandle|pPE, 0); err != nil {
		return err
	}
	if err := bd.need(v, pHandle|pPE); err != nil {
		return err
	}
	*m = Registration{PoolHandle: bd.handle, PoolElement: bd.pe, Unrecognized: bd.unk}
	return nil
}

// Deregistration is ASAP_DEREGISTRATION (RFC 5352 §2.2.2): a PE leaves
// the pool; it names itself by pool handle and PE identifier.
type Deregistration struct {
	PoolHandle   []byte
	ID           PEID
	Unrecognized Unrecognized
}

// MessageType returns ASAPDeregistration.
func (m *Deregistration) MessageType() MessageType { return ASAPDeregistration }

// Len returns the message length field.
func (m *Deregistration) Len() int { return handleIDLen(m.PoolHandle, nil, m.Unrecognized) }

// Append appends the message and its padding.
func (m *Deregistration) Append(b []byte) []byte {
	return appendHandleID(b, ASAPDeregistration, 0, m.PoolHandle, m.ID, nil, m.Unrecognized)
}

// Decode reads the message: a Pool Handle and a PE Identifier parameter.
func (m *Deregistration) Decode(v MessageView) error {
	var bd body
	if err := decodeHandleID(v, ASAPDeregistration, 0, &bd); err != nil {
		return err
	}
	*m = Deregistration{PoolHandle: bd.handle, ID: bd.id, Unrecognized: bd.unk}
	return nil
}

// RegistrationResponse is ASAP_REGISTRATION_RESPONSE (RFC 5352 §2.2.3).
// With Reject clear, an Operation Error is a warning that the server
// changed some of the registration's values; with Reject set it gives the
// reason.
type RegistrationResponse struct {
	Reject       bool // R: the registration was refused
	PoolHandle   []byte
	ID           PEID
	Error        OperationError // optional
	Unrecognized Unrecognized
}

// MessageType returns ASAPRegistrationResponse.
func (m *RegistrationResponse) MessageType() MessageType { return ASAPRegistrationResponse }

// Len returns the message length field.
func (m *RegistrationResponse) Len() int { return handleIDLen(m.PoolHandle, &m.Error, m.Unrecognized) }

// Append appends the message and its padding.
func (m *RegistrationResponse) Append(b []byte) []byte {
	return appendHandleID(b, ASAPRegistrationResponse, flag(m.Reject, flagRegistrationReject),
		m.PoolHandle, m.ID, &m.Error, m.Unrecognized)
}

// Decode reads the message.
func (m *RegistrationResponse) Decode(v MessageView) error {
	var bd body
	if err := decodeHandleID(v, ASAPRegistrationResponse, pOpErr, &bd); err != nil {
		return err
	}
	*m = RegistrationResponse{
		Reject:       v.Flags()&flagRegistrationReject != 0,
		PoolHandle:   bd.handle,
		ID:           bd.id,
		Error:        bd.opErr,
		Unrecognized: bd.unk,
	}
	return nil
}

// DeregistrationResponse is ASAP_DEREGISTRATION_RESPONSE (RFC 5352
// §2.2.4), also sent when a registration expires. It has no flag (rsplib
// and Wireshark agree); an Operation Error says the de-registration
// failed.
type DeregistrationResponse struct {
	PoolHandle   []byte
	ID           PEID
	Error        OperationError // optional
	Unrecognized Unrecognized
}

// MessageType returns ASAPDeregistrationResponse.
func (m *DeregistrationResponse) MessageType() MessageType { return ASAPDeregistrationResponse }

// Len returns the message length field.
func (m *DeregistrationResponse) Len() int {
	return handleIDLen(m.PoolHandle, &m.Error, m.Unrecognized)
}

// Append appends the message and its padding.
func (m *DeregistrationResponse) Append(b []byte) []byte {
	return appendHandleID(b, ASAPDeregistrationResponse, 0, m.PoolHandle, m.ID, &m.Error, m.Unrecognized)
}

// Decode reads the message.
func (m *DeregistrationResponse) Decode(v MessageView) error {
	var bd body
	if err := decodeHandleID(v, ASAPDeregistrationResponse, pOpErr, &bd); err != nil {
		return err
	}
	*m = DeregistrationResponse{PoolHandle: bd.handle, ID: bd.id, Error: bd.opErr, Unrecognized: bd.unk}
	return nil
}

// The messages made of a Pool Handle, a PE Identifier and an optional
// Operation Error share their codec.

func handleIDLen(handle []byte, e *OperationError, u Unrecognized) int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(handle))
	s.add(peIDParamLen)
	if e != nil && !e.IsZero() {
		s.add(e.Len())
	}
	u.size(&s)
	return s.total()
}

func appendHandleID(b []byte, t MessageType, flags uint8, handle []byte, id PEID, e *OperationError, u Unrecognized) []byte {
	b = appendHeader(b, t, flags, handleIDLen(handle, e, u))
	b = appendHandle(b, handle)
	b = appendPEID(b, id)
	if e != nil && !e.IsZero() {
		b = e.Append(b)
	}
	return u.appendTo(b)
}

func decodeHandleID(v MessageView, t MessageType, optional paramSet, bd *body) error {
	if err := v.expect(t, 0); err != nil {
		return err
	}
	if err := bd.decode(v, 0, pHandle|pPEID|optional, 0); err != nil {
		return err
	}
	return bd.need(v, pHandle|pPEID)
}
