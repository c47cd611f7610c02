package lockfile

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// Format renders f as TOML in canonical order (see Sort), without changing
// f. Equal Files give byte-identical output; Parse of the output gives f back
// when f is in canonical order.
func (f *File) Format() []byte {
	c := f.canonical()
	var b bytes.Buffer
	writeTop(&b, c)
	for i := range c.Packages {
		b.WriteString("\n[[packages]]\n")
		writePackage(&b, &c.Packages[i])
	}
	writeTool(&b, c)
	return b.Bytes()
}

func writeTop(b *bytes.Buffer, f *File) {
	fmt.Fprintf(b, "lock-version = %s\n", quote(f.LockVersion))
	if f.Environments != nil {
		fmt.Fprintf(b, "environments = %s\n", inlineStrings(f.Environments))
	}
	if f.RequiresPython != "" {
		fmt.Fprintf(b, "requires-python = %s\n", quote(f.RequiresPython))
	}
	for _, l := range []struct {
		key  string
		list []string
	}{{"extras", f.Extras}, {"dependency-groups", f.DependencyGroups}, {"default-groups", f.DefaultGroups}} {
		if l.list != nil {
			fmt.Fprintf(b, "%s = %s\n", l.key, inlineStrings(l.list))
		}
	}
	fmt.Fprintf(b, "created-by = %s\n", quote(f.CreatedBy))
	if len(f.Packages) == 0 {
		b.WriteString("packages = []\n")
	}
}

func writeString(b *bytes.Buffer, key, val string) {
	if val != "" {
		fmt.Fprintf(b, "%s = %s\n", key, quote(val))
	}
}

func writePackage(b *bytes.Buffer, p *Package) {
	writeString(b, "name", p.Name)
	writeString(b, "version", p.Version)
	writeString(b, "marker", p.Marker)
	writeString(b, "requires-python", p.RequiresPython)
	deps := make([]string, len(p.Dependencies))
	for i, d := range p.Dependencies {
		deps[i] = dependencyInline(d)
	}
	writeList(b, "dependencies", deps)
	if p.VCS != nil {
		fmt.Fprintf(b, "vcs = %s\n", vcsInline(p.VCS))
	}
	if p.Directory != nil {
		fmt.Fprintf(b, "directory = %s\n", directoryInline(p.Directory))
	}
	if p.Archive != nil {
		a := p.Archive
		fmt.Fprintf(b, "archive = %s\n", fileInline("", a.URL, a.Path, a.Size, a.UploadTime, a.Hashes, a.Subdirectory))
	}
	writeString(b, "index", p.Index)
	if s := p.Sdist; s != nil {
		fmt.Fprintf(b, "sdist = %s\n", fileInline(s.Name, s.URL, s.Path, s.Size, s.UploadTime, s.Hashes, ""))
	}
	wheels := make([]string, len(p.Wheels))
	for i, w := range p.Wheels {
		wheels[i] = fileInline(w.Name, w.URL, w.Path, w.Size, w.UploadTime, w.Hashes, "")
	}
	writeList(b, "wheels", wheels)
	ids := make([]string, len(p.AttestationIdentities))
	for i, id := range p.AttestationIdentities {
		ids[i] = inlineTable(id)
	}
	writeList(b, "attestation-identities", ids)
	if len(p.Tool) > 0 {
		writeTable(b, []string{"packages", "tool"}, p.Tool)
	}
}

func dependencyInline(d Dependency) string {
	pairs := []kv{{"name", quote(d.Name)}}
	if d.Version != "" {
		pairs = append(pairs, kv{"version", quote(d.Version)})
	}
	for _, k := range sortedKeys(d.Keys) {
		if k != "name" && k != "version" {
			pairs = append(pairs, kv{k, inline(d.Keys[k])})
		}
	}
	return orderedTable(pairs)
}

func optString(s string) string {
	if s == "" {
		return ""
	}
	return quote(s)
}

func vcsInline(v *VCS) string {
	return orderedTable([]kv{
		{"type", quote(v.Type)}, {"url", optString(v.URL)}, {"path", optString(v.Path)},
		{"requested-revision", optString(v.RequestedRevision)}, {"commit-id", quote(v.CommitID)},
		{"subdirectory", optString(v.Subdirectory)},
	})
}

func directoryInline(d *Directory) string {
	editable := ""
	if d.Editable {
		editable = "true"
	}
	return orderedTable([]kv{
		{"path", quote(d.Path)}, {"editable", editable}, {"subdirectory", optString(d.Subdirectory)},
	})
}

// fileInline renders a wheel, sdist or archive table.
func fileInline(name, url, path string, size int64, upload time.Time, hashes map[string]string, subdir string) string {
	sz, up := "", ""
	if size != 0 {
		sz = strconv.FormatInt(size, 10)
	}
	if !upload.IsZero() {
		up = tomlTime(upload)
	}
	h := make([]kv, 0, len(hashes))
	for _, k := range sortedKeys(hashes) {
		h = append(h, kv{k, quote(hashes[k])})
	}
	return orderedTable([]kv{
		{"name", optString(name)}, {"url", optString(url)}, {"path", optString(path)},
		{"size", sz}, {"upload-time", up}, {"hashes", orderedTable(h)},
		{"subdirectory", optString(subdir)},
	})
}

func writeTool(b *bytes.Buffer, f *File) {
	if hasScalars(f.Tool) {
		b.WriteString("\n[tool]\n")
		writeScalars(b, f.Tool)
	}
	if !f.Pylock.IsZero() {
		writePylock(b, &f.Pylock)
	}
	writeSubtables(b, []string{"tool"}, f.Tool)
}

func writePylock(b *bytes.Buffer, t *ToolPylock) {
	b.WriteString("\n[tool.pylock]\n")
	if t.FormatVersion != 0 {
		fmt.Fprintf(b, "format-version = %d\n", t.FormatVersion)
	}
	writeString(b, "requires-python", t.RequiresPython)
	if len(t.IndexURLs) > 0 {
		fmt.Fprintf(b, "index-urls = %s\n", inlineStrings(t.IndexURLs))
	}
	if len(t.Environments) > 0 {
		fmt.Fprintf(b, "environments = %s\n", inlineStrings(t.Environments))
	}
	if len(t.Settings) > 0 {
		b.WriteString("\n[tool.pylock.settings]\n")
		for _, k := range sortedKeys(t.Settings) {
			fmt.Fprintf(b, "%s = %s\n", quoteKey(k), quote(t.Settings[k]))
		}
	}
	for _, s := range t.Sections {
		b.WriteString("\n[[tool.pylock.sections]]\n")
		fmt.Fprintf(b, "label = %s\n", quote(s.Label))
		reqs := make([]string, len(s.Requirements))
		for i, r := range s.Requirements {
			reqs[i] = quote(r)
		}
		writeList(b, "requirements", reqs)
	}
}
