package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pylock/pylock/internal/testindex"
)

// fault is the script command `fault PATH-PREFIX KIND [ARG]`: the script's
// index answers the requests under PATH-PREFIX with a fault until `fault
// clear`. KIND is wrong-bytes, endless, trickle (ARG: the pause between
// bytes), huge (ARG: bytes added) or body (ARG: a file whose content is
// served instead of the real one).
func fault(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fault PATH-PREFIX KIND [ARG] | fault clear")
	}
	v, ok := servers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("fault: no index server for this script")
	}
	srv := v.(*testindex.Server)
	if args[0] == "clear" {
		srv.ClearFaults()
		return
	}
	if len(args) < 2 {
		ts.Fatalf("usage: fault PATH-PREFIX KIND [ARG]")
	}
	arg := ""
	if len(args) > 2 {
		arg = args[2]
	}
	var f testindex.Fault
	switch args[1] {
	case "wrong-bytes":
		f.Kind = testindex.FaultWrongBytes
	case "endless":
		f.Kind = testindex.FaultEndless
	case "trickle":
		d, err := time.ParseDuration(arg)
		ts.Check(err)
		f.Kind, f.Delay = testindex.FaultTrickle, d
	case "huge":
		n, err := strconv.ParseInt(arg, 10, 64)
		ts.Check(err)
		f.Kind, f.Size = testindex.FaultHuge, n
	case "body":
		f.Kind, f.Body = testindex.FaultMalformed, []byte(ts.ReadFile(arg))
	default:
		ts.Fatalf("fault: unknown kind %q", args[1])
	}
	srv.Inject(args[0], f)
}

// hostilewheel is the script command `hostilewheel FILE NAME VERSION
// ENTRY`: it writes FILE, a wheel of NAME VERSION whose METADATA, WHEEL and
// RECORD are right, with one more member named ENTRY (such as
// "../../evil.txt"), hashed in RECORD; and FILE.sha256, which holds the
// wheel's sha256 and size as "<sha256> <size>".
func hostilewheel(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: hostilewheel FILE NAME VERSION ENTRY")
	}
	name, version, entry := args[1], args[2], args[3]
	info := name + "-" + version + ".dist-info/"
	files := [][2]string{
		{info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: hostilewheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{entry, "written by a hostile wheel\n"},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		record.WriteString(f[0] + ",sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]) + "," + strconv.Itoa(len(f[1])) + "\n")
	}
	files = append(files, [2]string{info + "RECORD", record.String() + info + "RECORD,,\n"})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		ts.Check(err)
		_, err = w.Write([]byte(f[1]))
		ts.Check(err)
	}
	ts.Check(zw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o644))
	sum := sha256.Sum256(buf.Bytes())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]+".sha256"), fmt.Appendf(nil, "%x %d\n", sum, buf.Len()), 0o644))
}
