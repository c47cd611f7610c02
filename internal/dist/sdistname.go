package dist

import (
	"strconv"
	"strings"

	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// SdistName is a parsed source distribution file name.
type SdistName struct {
	Name    string         // project name as written in the file name
	Version pep440.Version // parsed version
}

// sdistExts are the archive extensions a source distribution may have.
var sdistExts = []string{".tar.gz", ".zip"}

// NormalizedName returns the PEP 503 form of the project name.
func (s SdistName) NormalizedName() string { return pep508.NormalizeName(s.Name) }

// ParseSdistName parses a source distribution file name such as
// "requests-2.31.0.tar.gz" or "foo_bar-1.0.zip", splitting name from version
// at the last dash.
func ParseSdistName(filename string) (SdistName, error) {
	stem, err := sdistStem(filename)
	if err != nil {
		return SdistName{}, err
	}
	i := strings.LastIndexByte(stem, '-')
	if i < 0 {
		return SdistName{}, sdistError(filename, "no dash between name and version", nil)
	}
	return sdistSplit(filename, stem, i)
}

// ParseSdistNameFor parses a source distribution file name that belongs to
// project, accepting legacy names whose project part contains dashes or
// other separators ("python-dateutil-2.8.2.tar.gz") and versions with dashes
// ("foo-1.0-1.tar.gz"): it splits at the first dash whose prefix normalizes to
// project's name.
func ParseSdistNameFor(filename, project string) (SdistName, error) {
	stem, err := sdistStem(filename)
	if err != nil {
		return SdistName{}, err
	}
	want := pep508.NormalizeName(project)
	for i := 0; i < len(stem); i++ {
		if stem[i] == '-' && pep508.NormalizeName(stem[:i]) == want {
			return sdistSplit(filename, stem, i)
		}
	}
	return SdistName{}, sdistError(filename, "name does not match project "+strconv.Quote(project), nil)
}

func sdistStem(filename string) (string, error) {
	for _, ext := range sdistExts {
		if stem, ok := strings.CutSuffix(filename, ext); ok {
			return stem, nil
		}
	}
	return "", sdistError(filename, `want ".tar.gz" or ".zip" extension`, nil)
}

func sdistSplit(filename, stem string, i int) (SdistName, error) {
	name, ver := stem[:i], stem[i+1:]
	if !pep508.ValidName(name) {
		return SdistName{}, sdistError(filename, "invalid project name "+strconv.Quote(name), nil)
	}
	v, err := pep440.Parse(ver)
	if err != nil {
		return SdistName{}, sdistError(filename, "invalid version "+strconv.Quote(ver), err)
	}
	return SdistName{Name: name, Version: v}, nil
}

func sdistError(filename, reason string, err error) error {
	return &NameError{Filename: filename, Kind: "sdist", Reason: reason, Err: err}
}
