package providerschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// The embedded schema is a line-based text, one line per provider, resource,
// data source, attribute and nested block, read by hand: decoding the same
// schema as JSON took a millisecond, a fifth of a render.
//
//	provider                                   the provider block
//	resource <type> / data <type>              a resource or data-source block
//	<indent>attr <name> <flags> <type JSON>    an attribute of the block above
//	<indent>block <name> <nesting> <min> <max> a nested block; its content follows, indented once more
//
// Indentation is one space per level; flags are letters r (required), o
// (optional), c (computed) and s (sensitive), or - for none; the type is the
// provider's cty type in compact JSON. Entries are sorted by name.

// encodeCompact writes s in the compact form.
func encodeCompact(s *Schema) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("provider\n")
	if err := writeBlock(&b, s.Provider, 1); err != nil {
		return nil, err
	}
	for _, kind := range []struct {
		word   string
		blocks map[string]Block
	}{{"resource", s.Resources}, {"data", s.DataSources}} {
		for _, name := range slices.Sorted(maps.Keys(kind.blocks)) {
			fmt.Fprintf(&b, "%s %s\n", kind.word, name)
			if err := writeBlock(&b, kind.blocks[name], 1); err != nil {
				return nil, err
			}
		}
	}
	return b.Bytes(), nil
}

func writeBlock(b *bytes.Buffer, blk Block, depth int) error {
	indent := strings.Repeat(" ", depth)
	for _, name := range slices.Sorted(maps.Keys(blk.Attributes)) {
		a := blk.Attributes[name]
		var typ bytes.Buffer
		if err := json.Compact(&typ, a.Type); err != nil {
			return fmt.Errorf("attribute %s: type: %w", name, err)
		}
		if strings.ContainsAny(name, " \n") || bytes.ContainsAny(typ.Bytes(), "\n") || typ.Len() == 0 {
			return fmt.Errorf("attribute %q cannot be written in the compact form", name)
		}
		flags := ""
		for _, f := range []struct {
			on   bool
			flag string
		}{{a.Required, "r"}, {a.Optional, "o"}, {a.Computed, "c"}, {a.Sensitive, "s"}} {
			if f.on {
				flags += f.flag
			}
		}
		if flags == "" {
			flags = "-"
		}
		fmt.Fprintf(b, "%sattr %s %s %s\n", indent, name, flags, typ.Bytes())
	}
	for _, name := range slices.Sorted(maps.Keys(blk.Blocks)) {
		nb := blk.Blocks[name]
		if strings.ContainsAny(name, " \n") || strings.ContainsAny(nb.Nesting, " \n") || nb.Nesting == "" {
			return fmt.Errorf("block %q cannot be written in the compact form", name)
		}
		fmt.Fprintf(b, "%sblock %s %s %d %d\n", indent, name, nb.Nesting, nb.MinItems, nb.MaxItems)
		if err := writeBlock(b, nb.Block, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// decodeCompact reads the compact form. Maps are made only for a block that
// has entries, as decoding the JSON (which omitted empty ones) did.
func decodeCompact(data []byte) (*Schema, error) {
	d := &decoder{text: string(data)}
	s := &Schema{Resources: map[string]Block{}, DataSources: map[string]Block{}}
	for !d.done() {
		depth, line := d.peek()
		if depth != 0 {
			return nil, d.errorf("indented line outside a block")
		}
		d.advance()
		word, name, _ := strings.Cut(line, " ")
		blk, err := d.block(1)
		if err != nil {
			return nil, err
		}
		switch {
		case word == "provider" && name == "":
			s.Provider = blk
		case word == "resource" && name != "":
			s.Resources[name] = blk
		case word == "data" && name != "":
			s.DataSources[name] = blk
		default:
			return nil, fmt.Errorf("line %d: unknown entry %q", d.lineNo-1, line)
		}
	}
	return s, nil
}

type decoder struct {
	text   string
	lineNo int // lines consumed
}

func (d *decoder) done() bool { return d.text == "" }

// peek returns the next line's indentation and content.
func (d *decoder) peek() (int, string) {
	line, _, _ := strings.Cut(d.text, "\n")
	content := strings.TrimLeft(line, " ")
	return len(line) - len(content), content
}

func (d *decoder) advance() {
	_, d.text, _ = strings.Cut(d.text, "\n")
	d.lineNo++
}

func (d *decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: "+format, append([]any{d.lineNo + 1}, args...)...)
}

// block reads the entries at depth that follow.
func (d *decoder) block(depth int) (Block, error) {
	var blk Block
	for !d.done() {
		ind, line := d.peek()
		if ind < depth {
			return blk, nil
		}
		if ind > depth {
			return blk, d.errorf("unexpected indentation")
		}
		d.advance()
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "attr":
			name, rest, _ := strings.Cut(rest, " ")
			flags, typ, ok := strings.Cut(rest, " ")
			if !ok || name == "" || typ == "" {
				return blk, fmt.Errorf("line %d: attr needs a name, flags and a type", d.lineNo)
			}
			a := Attribute{Type: json.RawMessage(typ)}
			if flags != "-" {
				for _, f := range flags {
					switch f {
					case 'r':
						a.Required = true
					case 'o':
						a.Optional = true
					case 'c':
						a.Computed = true
					case 's':
						a.Sensitive = true
					default:
						return blk, fmt.Errorf("line %d: unknown flag %q", d.lineNo, f)
					}
				}
			}
			if blk.Attributes == nil {
				blk.Attributes = map[string]Attribute{}
			}
			blk.Attributes[name] = a
		case "block":
			f := strings.Split(rest, " ")
			if len(f) != 4 {
				return blk, fmt.Errorf("line %d: block needs a name, a nesting mode and two counts", d.lineNo)
			}
			lo, err1 := strconv.Atoi(f[2])
			hi, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil {
				return blk, fmt.Errorf("line %d: bad item counts", d.lineNo)
			}
			inner, err := d.block(depth + 1)
			if err != nil {
				return blk, err
			}
			if blk.Blocks == nil {
				blk.Blocks = map[string]NestedBlk{}
			}
			blk.Blocks[f[0]] = NestedBlk{Nesting: f[1], MinItems: lo, MaxItems: hi, Block: inner}
		default:
			return blk, fmt.Errorf("line %d: unknown entry %q", d.lineNo, line)
		}
	}
	return blk, nil
}
