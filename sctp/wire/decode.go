package wire

// Decoding by type: for tools, tests and fuzzers that want any chunk,
// parameter or cause as its typed struct. Each call allocates the value it
// returns; the receive path decodes into structs of its own instead.

// DecodableChunk is a chunk type's struct: encodable and decodable.
type DecodableChunk interface {
	Chunker
	Decode(Chunk) error
}

// DecodableParam is a parameter type's struct: encodable and decodable.
type DecodableParam interface {
	Parameter
	Decode(Param) error
}

// DecodableCause is an error cause's struct: encodable and decodable.
type DecodableCause interface {
	ErrorCause
	Decode(Cause) error
}

// NewChunk returns a zero struct for chunk type t: a *RawChunk when the
// type has no codec here.
func NewChunk(t ChunkType) DecodableChunk {
	switch t {
	case ChunkData:
		return new(Data)
	case ChunkIData:
		return new(IData)
	}
	return new(RawChunk)
}

// NewParam returns a zero struct for parameter type t: a *RawParam when
// the type has no codec here.
func NewParam(t ParamType) DecodableParam {
	switch t {
	}
	return new(RawParam)
}

// NewCause returns a zero struct for cause code c: a *RawCause when the
// code has no codec here.
func NewCause(c CauseCode) DecodableCause {
	switch c {
	}
	return new(RawCause)
}

// DecodeChunk decodes c into the struct of its type.
func DecodeChunk(c Chunk) (DecodableChunk, error) {
	d := NewChunk(c.Type())
	if err := d.Decode(c); err != nil {
		return nil, err
	}
	return d, nil
}

// DecodeParam decodes p into the struct of its type.
func DecodeParam(p Param) (DecodableParam, error) {
	d := NewParam(p.Type())
	if err := d.Decode(p); err != nil {
		return nil, err
	}
	return d, nil
}

// DecodeCause decodes c into the struct of its code.
func DecodeCause(c Cause) (DecodableCause, error) {
	d := NewCause(c.Code())
	if err := d.Decode(c); err != nil {
		return nil, err
	}
	return d, nil
}
