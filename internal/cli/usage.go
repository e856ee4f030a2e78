package cli

import (
	"flag"
	"fmt"
	"io"
)

// PrintFlags writes every flag of fs with its type name, its usage and
// its default, which an empty string shows as "" rather than leaving
// out, so that -h explains every flag.
func PrintFlags(w io.Writer, fs *flag.FlagSet) { printFlags(w, fs, true) }

// PrintFlagNames is PrintFlags without the type names.
func PrintFlagNames(w io.Writer, fs *flag.FlagSet) { printFlags(w, fs, false) }

func printFlags(w io.Writer, fs *flag.FlagSet, typed bool) {
	fs.VisitAll(func(f *flag.Flag) {
		name, use := flag.UnquoteUsage(f)
		if name != "" && typed {
			name = " " + name
		} else {
			name = ""
		}
		def := f.DefValue
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  -%s%s\n    \t%s (default %s)\n", f.Name, name, use, def)
	})
}
