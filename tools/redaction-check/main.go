// Command redaction-check replays the log agents' replace and template stages with Go's own regexp
// (RE2) and text/template, the packages Promtail and Alloy use, so the tests check the generated
// expressions and templates with the engine that runs them rather than with JavaScript's.
//
// Input (stdin, JSON):
//
//	{"rules": [{"expression": "...", "replace": "..."}], "lines": ["..."],
//	 "templates": [{"template": "...", "data": {"Value": "stdout", "log_stream": "security"}}]}
//
// Output (stdout, JSON): {"lines": ["<each line after every rule, in order>"],
// "templates": [{"result": "...", "removed": true|false}]}
//
// The replace algorithm is Promtail v3.6.11's (clients/pkg/logentry/stages/replace.go,
// getReplacedEntry): every capture group of every match is replaced, left to right, skipping
// overlaps. A template whose result is empty removes the value (stages/template.go).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"text/template"
)

type rule struct {
	Expression string `json:"expression"`
	Replace    string `json:"replace"`
}

type tmpl struct {
	Template string                 `json:"template"`
	Data     map[string]interface{} `json:"data"`
}

type input struct {
	Rules     []rule   `json:"rules"`
	Lines     []string `json:"lines"`
	Templates []tmpl   `json:"templates"`
}

type tmplResult struct {
	Result  string `json:"result"`
	Removed bool   `json:"removed"`
}

func replaceAll(re *regexp.Regexp, input, replacement string) string {
	matches := re.FindAllStringSubmatchIndex(input, -1)
	if len(matches) == 0 {
		return input
	}
	var result string
	previousEnd := 0
	for _, m := range matches {
		for i := 2; i < len(m); i += 2 {
			if m[i] == -1 {
				continue
			}
			if previousEnd == 0 || previousEnd <= m[i] {
				result += input[previousEnd:m[i]] + replacement
				previousEnd = m[i+1]
			}
		}
	}
	return result + input[previousEnd:]
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "redaction-check: reading input:", err)
		os.Exit(2)
	}
	regexps := make([]*regexp.Regexp, len(in.Rules))
	for i, r := range in.Rules {
		re, err := regexp.Compile(r.Expression)
		if err != nil {
			fmt.Fprintf(os.Stderr, "redaction-check: rule %d does not compile as RE2: %v\n", i, err)
			os.Exit(1)
		}
		regexps[i] = re
	}
	out := struct {
		Lines     []string     `json:"lines"`
		Templates []tmplResult `json:"templates"`
	}{Lines: []string{}, Templates: []tmplResult{}}
	for _, line := range in.Lines {
		for i, re := range regexps {
			line = replaceAll(re, line, in.Rules[i].Replace)
		}
		out.Lines = append(out.Lines, line)
	}
	for i, t := range in.Templates {
		parsed, err := template.New("t").Parse(t.Template)
		if err != nil {
			fmt.Fprintf(os.Stderr, "redaction-check: template %d does not parse: %v\n", i, err)
			os.Exit(1)
		}
		buf := &bytes.Buffer{}
		if err := parsed.Execute(buf, t.Data); err != nil {
			fmt.Fprintf(os.Stderr, "redaction-check: template %d fails: %v\n", i, err)
			os.Exit(1)
		}
		out.Templates = append(out.Templates, tmplResult{Result: buf.String(), Removed: buf.Len() == 0})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "redaction-check: writing output:", err)
		os.Exit(2)
	}
}
