package venv

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pylock/pylock/internal/dist"
	"github.com/pylock/pylock/pep440"
	"github.com/pylock/pylock/pep508"
)

// The limits that refuse decompression bombs and oversized files before
// anything is written.
const (
	// maxWheelUnpacked bounds the uncompressed size of a wheel, all entries.
	maxWheelUnpacked = 8 << 30
	// maxSdistUnpacked bounds the uncompressed size of a source distribution.
	maxSdistUnpacked = 4 << 30
	// maxRatio is the highest compression ratio accepted for a wheel entry,
	// or a whole sdist, once it unpacks to more than ratioFloor bytes.
	maxRatio = 200
	// ratioFloor is the size below which any compression ratio is accepted.
	ratioFloor = 1 << 20
	// maxInfoFile bounds a .dist-info file read into memory (METADATA,
	// WHEEL, RECORD, entry_points.txt).
	maxInfoFile = 16 << 20
)

// checkSizes refuses a wheel whose entries, as its central directory
// declares them (reading an entry past its declared size fails), unpack to
// more than maxWheelUnpacked bytes, or one of which is compressed more than
// maxRatio to 1: a decompression bomb.
func checkSizes(wheel string, all []member) error {
	var total uint64
	for _, m := range all {
		if m.zf == nil {
			continue
		}
		size := m.zf.UncompressedSize64
		total += size
		if total > maxWheelUnpacked || total < size {
			return &WheelError{Wheel: wheel, Entry: m.name, Reason: "wheel unpacks to more than " + dist.FormatSize(maxWheelUnpacked)}
		}
		if size > ratioFloor && size/maxRatio > m.zf.CompressedSize64 {
			return &WheelError{Wheel: wheel, Entry: m.name, Reason: fmt.Sprintf("compressed more than %d:1 (a decompression bomb)", maxRatio)}
		}
	}
	return nil
}

// errInfoTooLarge reports a .dist-info file larger than maxInfoFile.
var errInfoTooLarge = errors.New("larger than " + dist.FormatSize(maxInfoFile))

// readInfo reads a .dist-info file of at most maxInfoFile bytes.
func readInfo(m member) ([]byte, error) {
	rc, err := m.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxInfoFile+1))
	if err == nil && len(data) > maxInfoFile {
		err = errInfoTooLarge
	}
	return data, err
}

// checkIdentity refuses a wheel whose .dist-info directory or METADATA
// names another project or version than its file name.
func checkIdentity(wheel string, wn dist.WheelName, distInfo string, files map[string]member) error {
	_, dirVersion, _ := strings.Cut(strings.TrimSuffix(distInfo, ".dist-info"), "-")
	if v, err := pep440.Parse(dirVersion); err != nil || !v.Equal(wn.Version) {
		return &WheelError{Wheel: wheel, Entry: distInfo, Reason: "version differs from the file name's " + wn.Version.String()}
	}
	name := distInfo + "/METADATA"
	meta, err := parseMember(wheel, files, name, metadataIdentity)
	if err != nil {
		return err
	}
	if pep508.NormalizeName(meta[0]) != wn.NormalizedName() {
		return &WheelError{Wheel: wheel, Entry: name, Reason: fmt.Sprintf("Name %q differs from the file name's %q", meta[0], wn.Name)}
	}
	if v, err := pep440.Parse(meta[1]); err != nil || !v.Equal(wn.Version) {
		return &WheelError{Wheel: wheel, Entry: name, Reason: fmt.Sprintf("Version %q differs from the file name's %q", meta[1], wn.Version.String())}
	}
	return nil
}

// metadataIdentity reads the Name and Version fields of core metadata.
func metadataIdentity(data []byte) ([2]string, error) {
	var out [2]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxInfoFile)
	for sc.Scan() && strings.TrimRight(sc.Text(), "\r") != "" {
		key, value, _ := strings.Cut(sc.Text(), ":")
		switch strings.ToLower(key) {
		case "name":
			out[0] = strings.TrimSpace(value)
		case "version":
			out[1] = strings.TrimSpace(value)
		}
	}
	if out[0] == "" || out[1] == "" {
		return out, fmt.Errorf("no Name or no Version field")
	}
	return out, sc.Err()
}

// budget counts the bytes an sdist unpacks to, against maxSdistUnpacked
// and maxRatio times the archive's size.
type budget struct {
	compressed int64 // the archive's size
	written    int64
}

// newBudget starts the count for the archive at path.
func newBudget(path string) (*budget, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return &budget{compressed: fi.Size()}, nil
}

// reader wraps the content of one member, of declared size, so that
// reading it fails with a *SdistError once the archive is over budget.
func (b *budget) reader(archive, member string, declared int64, r io.Reader) io.Reader {
	return &budgetReader{b: b, archive: archive, member: member, declared: declared, r: r}
}

type budgetReader struct {
	b               *budget
	archive, member string
	declared        int64
	r               io.Reader
}

// Read implements io.Reader.
func (br *budgetReader) Read(p []byte) (int, error) {
	b := br.b
	tooLarge := &SdistError{Path: br.archive, Member: br.member, Reason: "archive unpacks to more than " + dist.FormatSize(maxSdistUnpacked)}
	if b.written+max(br.declared, 0) > maxSdistUnpacked {
		return 0, tooLarge
	}
	n, err := br.r.Read(p)
	b.written += int64(n)
	br.declared -= int64(n)
	if b.written > maxSdistUnpacked {
		return n, tooLarge
	}
	if b.written > ratioFloor && b.written/maxRatio > b.compressed {
		return n, &SdistError{Path: br.archive, Member: br.member, Reason: fmt.Sprintf("archive compressed more than %d:1 (a decompression bomb)", maxRatio)}
	}
	return n, err
}

// memberKind names a tar member type that is not unpacked.
func memberKind(typeflag byte) string {
	switch typeflag {
	case tar.TypeLink:
		return "hard link"
	case tar.TypeSymlink:
		return "symlink"
	case tar.TypeChar, tar.TypeBlock:
		return "device file"
	case tar.TypeFifo:
		return "named pipe"
	}
	return fmt.Sprintf("member of type %q", typeflag)
}
