// alloy-syntax-check: parses generated Alloy configuration with the syntax module that Alloy v1.18.1
// (lib/images.ts) requires (github.com/grafana/alloy/syntax v0.1.1, see Alloy's go.mod at the tag).
// Building the whole Alloy program is impractical here: its build list is several hundred modules,
// with two dozen replace lines and eBPF/cgo parts.
module vigil.tools/alloy-syntax

go 1.26.5

require github.com/grafana/alloy/syntax v0.1.1

require (
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	golang.org/x/sys v0.46.0 // indirect
)
