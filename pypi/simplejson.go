package pypi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"
)

// simpleJSONType is the PEP 691 media type, version 1.
const simpleJSONType = "application/vnd.pypi.simple.v1+json"

// simpleAccept asks for PEP 691 JSON first, then HTML.
const simpleAccept = simpleJSONType + ", application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"

// simpleProject is a PEP 691 (+ PEP 700) project page.
type simpleProject struct {
	Meta struct {
		APIVersion string `json:"api-version"`
	} `json:"meta"`
	Name  string       `json:"name"`
	Files []simpleFile `json:"files"`
}

type simpleFile struct {
	Filename         string            `json:"filename"`
	URL              string            `json:"url"`
	Hashes           map[string]string `json:"hashes"`
	RequiresPython   *string           `json:"requires-python"`
	CoreMetadata     json.RawMessage   `json:"core-metadata"`
	DistInfoMetadata json.RawMessage   `json:"dist-info-metadata"`
	Yanked           json.RawMessage   `json:"yanked"`
	Size             *int64            `json:"size"`
	UploadTime       *string           `json:"upload-time"`
}

// parseSimpleJSON reads a PEP 691 project page.
func parseSimpleJSON(data []byte, page *url.URL) ([]rawFile, error) {
	const format = "simple API JSON"
	var p simpleProject
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, jsonError(page, format, err)
	}
	if major, _, _ := strings.Cut(p.Meta.APIVersion, "."); major != "1" {
		return nil, parseError(page, format, -1, fmt.Sprintf("unsupported api-version %q", p.Meta.APIVersion))
	}
	files := make([]rawFile, 0, len(p.Files))
	for i, sf := range p.Files {
		f, err := sf.raw(page)
		if err != nil {
			return nil, parseError(page, format, -1, fmt.Sprintf("files[%d]: %v", i, err))
		}
		files = append(files, f)
	}
	return files, nil
}

// raw converts one PEP 691 file entry.
func (sf simpleFile) raw(page *url.URL) (rawFile, error) {
	if sf.Filename == "" || sf.URL == "" {
		return rawFile{}, errors.New("missing filename or url")
	}
	u, sha, err := resolveFileURL(page, sf.URL)
	if err != nil {
		return rawFile{}, fmt.Errorf("invalid url %q", sf.URL)
	}
	f := rawFile{Filename: sf.Filename, URL: u.String(), SHA256: sha, Size: -1}
	if h, ok := sf.Hashes["sha256"]; ok {
		f.SHA256 = strings.ToLower(h)
	}
	if sf.RequiresPython != nil {
		f.RequiresPython = strings.TrimSpace(*sf.RequiresPython)
	}
	if sf.Size != nil {
		f.Size = *sf.Size
	}
	if f.Yanked, f.YankedReason, err = boolOr[string](sf.Yanked, "a string"); err != nil {
		return rawFile{}, fmt.Errorf("yanked: %v", err)
	}
	meta := sf.CoreMetadata
	if len(meta) == 0 {
		meta = sf.DistInfoMetadata
	}
	var hashes map[string]string
	if f.CoreMetadata, hashes, err = boolOr[map[string]string](meta, "a hash dictionary"); err != nil {
		return rawFile{}, fmt.Errorf("core-metadata: %v", err)
	}
	f.CoreMetadataSHA256 = strings.ToLower(hashes["sha256"])
	if sf.UploadTime != nil {
		if f.UploadTime, err = time.Parse(time.RFC3339Nano, *sf.UploadTime); err != nil {
			return rawFile{}, fmt.Errorf("invalid upload-time %q", *sf.UploadTime)
		}
	}
	return f, nil
}

// boolOr reads a PEP 691 value that is false, true or a T, which means true
// (yanked: a reason; core-metadata: a hash dictionary). Absent or null is
// false; want names T in the error.
func boolOr[T any](raw json.RawMessage, want string) (bool, T, error) {
	var v T
	if len(raw) == 0 || string(raw) == "null" {
		return false, v, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return b, v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, v, errors.New("want a boolean or " + want)
	}
	return true, v, nil
}

// jsonError wraps a decoding error, with its offset when it has one.
func jsonError(page *url.URL, format string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return parseError(page, format, int(se.Offset), se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return parseError(page, format, int(te.Offset), fmt.Sprintf("%s: want %s, got %s", te.Field, jsonKind(te.Type), te.Value))
	}
	return parseError(page, format, -1, err.Error())
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	default:
		return "number"
	}
}

// isJSON reports whether a Content-Type names a JSON media type.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
