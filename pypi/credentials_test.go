package pypi

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseNetrc(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Netrc
	}{
		{"empty", "", &Netrc{}},
		{"one line", "machine example.com login alice password s3cret",
			&Netrc{Machines: []NetrcMachine{{Name: "example.com", Login: "alice", Password: "s3cret"}}}},
		{"several lines, comments, account", "# mine\nmachine a.example\n  login u1\n  password p1\n  account x\n\nmachine b.example:8080 login u2 password p2\n",
			&Netrc{Machines: []NetrcMachine{{Name: "a.example", Login: "u1", Password: "p1"}, {Name: "b.example:8080", Login: "u2", Password: "p2"}}}},
		{"default", "machine a login u password p\ndefault login anon password guest\n",
			&Netrc{Machines: []NetrcMachine{{Name: "a", Login: "u", Password: "p"}}, Default: &NetrcMachine{Login: "anon", Password: "guest"}}},
		{"quoted token", `machine a login "the user" password "p\"w d"`,
			&Netrc{Machines: []NetrcMachine{{Name: "a", Login: "the user", Password: `p"w d`}}}},
		{"macdef body skipped", "machine a login u password p\nmacdef init\ncd /pub\nmachine evil login x password y\n\nmachine b login v password q\n",
			&Netrc{Machines: []NetrcMachine{{Name: "a", Login: "u", Password: "p"}, {Name: "b", Login: "v", Password: "q"}}}},
		{"password with hash", "machine a login u password p#1",
			&Netrc{Machines: []NetrcMachine{{Name: "a", Login: "u", Password: "p#1"}}}},
		{"password starting with hash", "  # indented comment\nmachine a login u password #p1",
			&Netrc{Machines: []NetrcMachine{{Name: "a", Login: "u", Password: "#p1"}}}},
		{"ipv6 host", "machine ::1 login u password p",
			&Netrc{Machines: []NetrcMachine{{Name: "::1", Login: "u", Password: "p"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNetrc(".netrc", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseNetrc = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseNetrcErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
	}{
		{"machine a login", 1},
		{"machine a\nbogus x", 2},
		{"machine a login \"open", 1},
		{"machine a\npassword s3cr zq9", 2},
	}
	for _, tt := range tests {
		_, err := ParseNetrc(".netrc", []byte(tt.in))
		var ne *NetrcError
		if !errors.As(err, &ne) || ne.Line != tt.line {
			t.Errorf("ParseNetrc(%q) = %v, want a *NetrcError on line %d", tt.in, err, tt.line)
		} else if strings.Contains(err.Error(), "zq9") {
			t.Errorf("ParseNetrc(%q) = %v: the message shows a token that may be part of a password", tt.in, err)
		}
	}
}

func TestNetrcLookup(t *testing.T) {
	n, err := ParseNetrc(".netrc", []byte("machine h.example login plain password 1\nmachine h.example:8443 login port password 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]string{"h.example": "plain", "h.example:8443": "port", "h.example:9000": "plain", "H.EXAMPLE": "plain"} {
		if m, ok := n.Lookup(host); !ok || m.Login != want {
			t.Errorf("Lookup(%q) = %+v, %v; want login %q", host, m, ok, want)
		}
	}
	if _, ok := n.Lookup("other"); ok {
		t.Error("Lookup(other) found an entry; want none (no default)")
	}
}

func TestCredentialEnv(t *testing.T) {
	tests := []struct{ name, user, pass string }{
		{"private", "PYLOCK_INDEX_PRIVATE_USERNAME", "PYLOCK_INDEX_PRIVATE_PASSWORD"},
		{"my-corp.index", "PYLOCK_INDEX_MY_CORP_INDEX_USERNAME", "PYLOCK_INDEX_MY_CORP_INDEX_PASSWORD"},
		{"Torch2", "PYLOCK_INDEX_TORCH2_USERNAME", "PYLOCK_INDEX_TORCH2_PASSWORD"},
	}
	for _, tt := range tests {
		if u, p := CredentialEnv(tt.name); u != tt.user || p != tt.pass {
			t.Errorf("CredentialEnv(%q) = %q, %q; want %q, %q", tt.name, u, p, tt.user, tt.pass)
		}
	}
}

func TestCredentialLookup(t *testing.T) {
	dir := t.TempDir()
	netrc := filepath.Join(dir, "netrc")
	data := "machine idx.example login nuser password npass\nmachine other.example:8080 login o password op\n"
	if err := os.WriteFile(netrc, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"PYLOCK_INDEX_CORP_USERNAME": "euser", "PYLOCK_INDEX_CORP_PASSWORD": "epass",
		"PYLOCK_INDEX_HALF_USERNAME": "nuser",
		"NETRC":                      netrc,
	}
	src := CredentialSource{Getenv: func(k string) string { return env[k] }}
	tests := []struct {
		name, index, url string
		want             Credentials
	}{
		{"from the url", "corp", "https://u:p@idx.example/simple", Credentials{"u", "p", "the URL"}},
		{"url user, netrc password of another login", "", "https://u@idx.example/simple", Credentials{Username: "u", From: "the URL"}},
		{"url user, netrc password of the same login", "", "https://nuser@idx.example/simple", Credentials{"nuser", "npass", "the URL and " + netrc}},
		{"from the environment", "corp", "https://idx.example/simple", Credentials{"euser", "epass", "PYLOCK_INDEX_CORP_USERNAME and PYLOCK_INDEX_CORP_PASSWORD"}},
		{"env user, netrc password", "half", "https://idx.example/simple", Credentials{"nuser", "npass", "PYLOCK_INDEX_HALF_USERNAME and " + netrc}},
		{"from netrc by host", "", "https://idx.example:8443/simple", Credentials{"nuser", "npass", netrc}},
		{"from netrc by host and port", "x", "http://other.example:8080/simple", Credentials{"o", "op", netrc}},
		{"nothing", "", "https://nowhere.example/simple", Credentials{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := src.Lookup(tt.index, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Lookup = %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("no netrc file", func(t *testing.T) {
		src := CredentialSource{Netrc: filepath.Join(dir, "missing"), Getenv: func(string) string { return "" }}
		if got, err := src.Lookup("", "https://idx.example/simple"); err != nil || !got.IsZero() {
			t.Errorf("Lookup = %+v, %v; want nothing, no error", got, err)
		}
	})
	t.Run("broken netrc", func(t *testing.T) {
		bad := filepath.Join(dir, "bad")
		if err := os.WriteFile(bad, []byte("machine a password s3cret login"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := CredentialSource{Netrc: bad}.Lookup("", "https://a/simple")
		var ne *NetrcError
		if !errors.As(err, &ne) {
			t.Fatalf("Lookup error = %v, want a *NetrcError", err)
		}
	})
}

func FuzzParseNetrc(f *testing.F) {
	f.Add("machine a login u password p")
	f.Add("default login x password y\nmacdef m\nbody\n\n")
	f.Add(`machine "a b" login "q\"" password`)
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNetrc("f", []byte(s))
		if err == nil {
			n.Lookup("a")
		}
	})
}
