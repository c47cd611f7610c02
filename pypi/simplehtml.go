package pypi

import (
	"fmt"
	"html"
	"net/url"
	"strings"
)

// parseSimpleHTML reads a PEP 503 project page: every <a href> is a file.
// Attributes are HTML-unescaped; data-requires-python, data-yanked,
// data-core-metadata and data-dist-info-metadata are read; a <base href>
// changes what relative links resolve against.
func parseSimpleHTML(data []byte, page *url.URL) ([]rawFile, error) {
	t := &tagScanner{s: string(data)}
	base := page
	var files []rawFile
	for {
		tag, err := t.next()
		if err != nil {
			return nil, parseError(page, "simple API HTML", err.offset, err.msg)
		}
		if tag == nil {
			return files, nil
		}
		switch tag.name {
		case "base":
			if href, ok := tag.attrs["href"]; ok {
				if b, err := url.Parse(href); err == nil {
					base = page.ResolveReference(b)
				}
			}
		case "a":
			f, err := anchorFile(tag, base)
			if err != nil {
				return nil, parseError(page, "simple API HTML", tag.offset, err.Error())
			}
			if f != nil {
				files = append(files, *f)
			}
		}
	}
}

// anchorFile turns an anchor into a file; anchors without href are ignored.
func anchorFile(tag *htmlTag, base *url.URL) (*rawFile, error) {
	href, ok := tag.attrs["href"]
	if !ok {
		return nil, nil
	}
	u, sha, err := resolveFileURL(base, href)
	if err != nil {
		return nil, fmt.Errorf("invalid href %q", href)
	}
	f := &rawFile{Filename: urlFilename(u), URL: u.String(), SHA256: sha, Size: -1}
	f.RequiresPython = strings.TrimSpace(tag.attrs["data-requires-python"])
	f.YankedReason, f.Yanked = tag.attrs["data-yanked"]
	v, present := tag.attrs["data-core-metadata"]
	if !present {
		v, present = tag.attrs["data-dist-info-metadata"]
	}
	f.CoreMetadata, f.CoreMetadataSHA256 = parseMetadataHash(v, present)
	return f, nil
}

// htmlTag is a start tag: lowercase name, unescaped attribute values.
type htmlTag struct {
	name   string
	attrs  map[string]string
	offset int
}

// scanError is a syntax problem at a byte offset.
type scanError struct {
	offset int
	msg    string
}

// tagScanner yields the start tags of an HTML document. It knows comments,
// doctypes and end tags well enough to skip them, and the raw-text elements
// script and style.
type tagScanner struct {
	s   string
	pos int
}

// next returns the next start tag, or nil at the end of the input.
func (t *tagScanner) next() (*htmlTag, *scanError) {
	for {
		i := strings.IndexByte(t.s[t.pos:], '<')
		if i < 0 {
			return nil, nil
		}
		start := t.pos + i
		t.pos = start + 1
		rest := t.s[t.pos:]
		switch {
		case strings.HasPrefix(rest, "!--"):
			end := strings.Index(rest[3:], "-->")
			if end < 0 {
				return nil, &scanError{start, "unterminated comment"}
			}
			t.pos += 3 + end + 3
		case strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "?") || strings.HasPrefix(rest, "/"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return nil, &scanError{start, "unterminated tag"}
			}
			t.pos += end + 1
		case rest != "" && isLetter(rest[0]):
			tag, err := t.startTag(start)
			if err != nil {
				return nil, err
			}
			if tag.name == "script" || tag.name == "style" {
				t.skipRawText(tag.name)
			}
			return tag, nil
		}
	}
}

// startTag reads a tag name and its attributes up to the closing '>'.
func (t *tagScanner) startTag(start int) (*htmlTag, *scanError) {
	tag := &htmlTag{name: strings.ToLower(t.word()), attrs: map[string]string{}, offset: start}
	for {
		t.skipSpace()
		if t.pos >= len(t.s) {
			return nil, &scanError{start, "unterminated tag"}
		}
		switch t.s[t.pos] {
		case '>':
			t.pos++
			return tag, nil
		case '/':
			t.pos++
			continue
		}
		name := strings.ToLower(t.word())
		if name == "" {
			return nil, &scanError{t.pos, fmt.Sprintf("unexpected %q in tag", t.s[t.pos])}
		}
		t.skipSpace()
		value := ""
		if t.pos < len(t.s) && t.s[t.pos] == '=' {
			t.pos++
			t.skipSpace()
			v, err := t.value()
			if err != nil {
				return nil, err
			}
			value = html.UnescapeString(v)
		}
		if _, dup := tag.attrs[name]; !dup {
			tag.attrs[name] = value
		}
	}
}

// value reads a quoted or unquoted attribute value.
func (t *tagScanner) value() (string, *scanError) {
	if t.pos >= len(t.s) {
		return "", &scanError{t.pos, "missing attribute value"}
	}
	if q := t.s[t.pos]; q == '"' || q == '\'' {
		end := strings.IndexByte(t.s[t.pos+1:], q)
		if end < 0 {
			return "", &scanError{t.pos, "unterminated attribute value"}
		}
		v := t.s[t.pos+1 : t.pos+1+end]
		t.pos += end + 2
		return v, nil
	}
	start := t.pos
	for t.pos < len(t.s) && !isSpace(t.s[t.pos]) && t.s[t.pos] != '>' {
		t.pos++
	}
	return t.s[start:t.pos], nil
}

// word reads an attribute or tag name.
func (t *tagScanner) word() string {
	start := t.pos
	for t.pos < len(t.s) {
		c := t.s[t.pos]
		if isSpace(c) || c == '>' || c == '/' || c == '=' || c == '"' || c == '\'' || c == '<' {
			break
		}
		t.pos++
	}
	return t.s[start:t.pos]
}

// skipRawText moves past the end tag of a script or style element.
func (t *tagScanner) skipRawText(name string) {
	end := strings.Index(strings.ToLower(t.s[t.pos:]), "</"+name)
	if end < 0 {
		t.pos = len(t.s)
		return
	}
	t.pos += end
}

func (t *tagScanner) skipSpace() {
	for t.pos < len(t.s) && isSpace(t.s[t.pos]) {
		t.pos++
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
