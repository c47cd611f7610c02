package pypi

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/pylock/pylock/internal/cache"
)

// parsedFields is the number of tab-separated fields of a file's line.
const parsedFields = 11

// page is the files a project page lists.
type page struct {
	files []rawFile
	// parsedKey is the page's key in the parsed-page cache when its files are
	// to be stored there; "" when they were read from it, or when the client
	// has no cache.
	parsedKey string
}

// parsePage parses the body of page r with parse, or reads the files a
// previous parse of the same body at the same URL left in the cache. The
// entry is content-addressed, so it needs no validators of its own: a page
// that changed has another key. Every page is kept, small ones too: the
// read of a cache entry costs less than decoding JSON, and a warm lock of
// 1,439 small pages took 15% less time when their parse was cached (the
// scale benchmark's registry, in process).
func (c *Client) parsePage(r *response, parse func([]byte, *url.URL) ([]rawFile, error)) (page, error) {
	if r.parsedOK {
		return page{files: r.parsed}, nil
	}
	if c.cache == nil {
		files, err := parse(r.body, r.url)
		return page{files: files}, err
	}
	sum, pageURL := r.sum, stripUser(r.url).String()
	if sum == "" {
		sum = bodySum(r.body)
	}
	if files, ok := c.cachedParse(sum, pageURL); ok {
		return page{files: files}, nil
	}
	files, err := parse(r.body, r.url)
	if err != nil {
		return page{}, err
	}
	return page{files: files, parsedKey: parsedKey(sum, pageURL)}, nil
}

// parsedKey is the parsed-page cache key of the page at pageURL (without
// credentials) whose body has the hex sha256 sum.
func parsedKey(sum, pageURL string) string {
	return "files " + sum + " " + pageURL
}

// cachedParse reads the files that the parsed-page cache holds for the page
// at pageURL (without credentials) whose body has the hex sha256 sum.
func (c *Client) cachedParse(sum, pageURL string) ([]rawFile, bool) {
	data, ok, err := c.cache.Get(cache.Parsed, parsedKey(sum, pageURL))
	if err != nil || !ok {
		return nil, false
	}
	// The files' strings share data's memory rather than a copy of it, which
	// for a large project is most of what decoding allocates: data is this
	// call's own buffer, which nothing writes after the read.
	return decodeParsedFiles(unsafe.String(unsafe.SliceData(data), len(data)))
}

// keepParsed stores a page's files, as sorted, in the parsed-page cache
// under key; a later run then need not sort them.
func (c *Client) keepParsed(key string, sorted []rawFile) {
	if data, ok := encodeParsedFiles(sorted); ok {
		// A speed-up only: when it cannot be written, the next run parses.
		_ = c.cache.Put(cache.Parsed, key, data)
	}
}

// parsedHeader starts an entry, followed by the number of files: an entry
// cut short (an unsynced write after a power failure can leave an empty
// file) does not read as a page without files.
const parsedHeader = "files "

// encodeParsedFiles writes the header line, then one line per file, its
// fields separated by tabs; ok is false when a field holds a tab or a
// newline (no real index's does), and the files are then not cached.
func encodeParsedFiles(files []rawFile) ([]byte, bool) {
	var b strings.Builder
	b.WriteString(parsedHeader + strconv.Itoa(len(files)) + "\n")
	for _, f := range files {
		upload := ""
		if !f.UploadTime.IsZero() {
			upload = f.UploadTime.Format(time.RFC3339Nano)
		}
		fields := [parsedFields]string{f.Filename, f.URL, f.Version, f.SHA256, strconv.FormatInt(f.Size, 10),
			f.RequiresPython, bit(f.Yanked), f.YankedReason, upload, bit(f.CoreMetadata), f.CoreMetadataSHA256}
		for i, s := range fields {
			if strings.ContainsAny(s, "\t\n") {
				return nil, false
			}
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String()), true
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// decodeParsedFiles reads what encodeParsedFiles wrote; ok is false for an
// entry it did not write (truncated, empty or edited), which is then parsed
// anew.
func decodeParsedFiles(data string) ([]rawFile, bool) {
	header, body, ok := strings.Cut(data, "\n")
	count, err := strconv.Atoi(strings.TrimPrefix(header, parsedHeader))
	complete := strings.Count(body, "\n") == count && (body == "" || strings.HasSuffix(body, "\n"))
	if !ok || !strings.HasPrefix(header, parsedHeader) || err != nil || count < 0 || !complete {
		return nil, false
	}
	if count == 0 {
		return nil, true
	}
	files := make([]rawFile, 0, count)
	for line := range strings.SplitSeq(strings.TrimSuffix(body, "\n"), "\n") {
		f, ok := decodeParsedFile(line)
		if !ok {
			return nil, false
		}
		files = append(files, f)
	}
	return files, true
}

// decodeParsedFile reads one line of decodeParsedFiles.
func decodeParsedFile(line string) (rawFile, bool) {
	var fields [parsedFields]string
	for i := range parsedFields - 1 {
		var ok bool
		if fields[i], line, ok = strings.Cut(line, "\t"); !ok {
			return rawFile{}, false
		}
	}
	fields[parsedFields-1] = line
	size, err := strconv.ParseInt(fields[4], 10, 64)
	if err != nil || strings.Contains(line, "\t") {
		return rawFile{}, false
	}
	f := rawFile{Filename: fields[0], URL: fields[1], Version: fields[2], SHA256: fields[3], Size: size,
		RequiresPython: fields[5], Yanked: fields[6] == "1", YankedReason: fields[7],
		CoreMetadata: fields[9] == "1", CoreMetadataSHA256: fields[10]}
	if fields[8] != "" {
		if f.UploadTime, err = time.Parse(time.RFC3339Nano, fields[8]); err != nil {
			return rawFile{}, false
		}
	}
	return f, true
}
