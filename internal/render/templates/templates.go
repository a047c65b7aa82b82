// Package templates holds the prose bpgen writes: the bundle README, the
// bundle .gitignore and the starter config of `bpgen init`. Structured
// artifacts (Terraform, flows, JSON) are built from typed values elsewhere;
// text/template is only for text meant to be read.
package templates

import (
	"bytes"
	"embed"
	"strings"
	"text/template"
)

//go:embed bundle/README.md.tmpl bundle/gitignore init/bpgen.yaml
var files embed.FS

// BundleGitignore is terraform/.gitignore.
func BundleGitignore() []byte { return must("bundle/gitignore") }

// StarterConfig is the commented config `bpgen init` writes.
func StarterConfig() []byte { return must("init/bpgen.yaml") }

func must(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// mermaidLabel is built once: a Replacer compiles its table on first use.
var mermaidLabel = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")

var readme = template.Must(template.New("README.md.tmpl").Funcs(template.FuncMap{
	"join": strings.Join,
	// mermaid escapes a label for a quoted Mermaid node.
	"mermaid": mermaidLabel.Replace,
	"code":    func(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" },
}).ParseFS(files, "bundle/README.md.tmpl"))

// BundleREADME renders terraform/README.md from the given data.
func BundleREADME(data any) ([]byte, error) {
	var b bytes.Buffer
	if err := readme.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
