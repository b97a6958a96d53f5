// Command alloy-syntax-check parses Alloy configuration files with Alloy's own parser
// (github.com/grafana/alloy/syntax/parser) and prints, as JSON, the components each file declares
// and the component exports its expressions reference, so a test can check that every reference
// names a declared component. A parse error is printed with its position and exits 1.
//
// Usage: alloy-syntax-check FILE...
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/grafana/alloy/syntax/ast"
	"github.com/grafana/alloy/syntax/parser"
)

type summary struct {
	File       string   `json:"file"`
	Components []string `json:"components"`
	References []string `json:"references"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: alloy-syntax-check FILE...")
		os.Exit(2)
	}
	failed := false
	var out []summary
	for _, name := range os.Args[1:] {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		file, err := parser.ParseFile(name, data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
			continue
		}
		s := summary{File: name, Components: []string{}, References: []string{}}
		for _, stmt := range file.Body {
			if b, ok := stmt.(*ast.BlockStmt); ok {
				id := strings.Join(b.Name, ".")
				if b.Label != "" {
					id += "." + b.Label
				}
				s.Components = append(s.Components, id)
			}
		}
		ast.Walk(visitor{&s.References}, file)
		out = append(out, s)
	}
	if failed {
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// visitor collects each outermost access chain such as loki.write.default.receiver.
type visitor struct{ refs *[]string }

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if a, ok := n.(*ast.AccessExpr); ok {
		if path, ok := accessPath(a); ok {
			*v.refs = append(*v.refs, path)
			return nil
		}
	}
	return v
}

func accessPath(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.IdentifierExpr:
		return e.Ident.Name, true
	case *ast.AccessExpr:
		base, ok := accessPath(e.Value)
		if !ok {
			return "", false
		}
		return base + "." + e.Name.Name, true
	}
	return "", false
}
