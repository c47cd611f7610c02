package pypi

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Credentials are the basic-auth user name and password for one index.
type Credentials struct {
	Username, Password string
	// From says where they were found, for messages: "the URL", the
	// environment variables' names, or the netrc file's path. Never the
	// values.
	From string
}

// IsZero reports whether no credentials were found.
func (c Credentials) IsZero() bool { return c.Username == "" && c.Password == "" }

// CredentialSource says where credentials are looked up besides index URLs.
// The zero value reads the process environment and $NETRC or ~/.netrc.
type CredentialSource struct {
	// Getenv reads an environment variable; nil means os.Getenv.
	Getenv func(string) string
	// Netrc is the netrc file's path; "" means $NETRC, else ~/.netrc.
	Netrc string
}

// CredentialEnv returns the environment variables holding the user name and
// password of the named index: PYLOCK_INDEX_<NAME>_USERNAME and
// PYLOCK_INDEX_<NAME>_PASSWORD, where NAME is the index name upper-cased
// with every character other than an ASCII letter or digit replaced by "_".
func CredentialEnv(name string) (user, password string) {
	var b strings.Builder
	for _, r := range strings.ToUpper(name) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	prefix := "PYLOCK_INDEX_" + b.String()
	return prefix + "_USERNAME", prefix + "_PASSWORD"
}

// Lookup finds the credentials of an index named name (may be "") at
// rawURL. Each piece is taken from the first place that has it: the URL's
// user:password, then the environment variables of CredentialEnv(name), then
// the netrc entry for the URL's host (whose password is used only with its
// own login, or with no login known yet). A netrc file that is missing is no
// error; one that does not parse is.
func (s CredentialSource) Lookup(name, rawURL string) (Credentials, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Credentials{}, &IndexURLError{URL: redactString(rawURL)}
	}
	var c Credentials
	var from []string
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		from = append(from, "the URL")
	}
	if name != "" {
		userVar, passVar := CredentialEnv(name)
		if v := s.getenv(userVar); v != "" && c.Username == "" {
			c.Username = v
			from = append(from, userVar)
		}
		if v := s.getenv(passVar); v != "" && c.Password == "" {
			c.Password = v
			from = append(from, passVar)
		}
	}
	if c.Password == "" {
		m, path, err := s.netrcEntry(u.Host)
		if err != nil {
			return Credentials{}, err
		}
		if m != nil && m.Password != "" && (c.Username == "" || c.Username == m.Login) {
			c.Username, c.Password = m.Login, m.Password
			from = append(from, path)
		}
	}
	c.From = strings.Join(from, " and ")
	return c, nil
}

// getenv reads one variable.
func (s CredentialSource) getenv(name string) string {
	if s.Getenv != nil {
		return s.Getenv(name)
	}
	return os.Getenv(name)
}

// netrcPath is the netrc file to read; "" when there is none to find.
func (s CredentialSource) netrcPath() string {
	if s.Netrc != "" {
		return s.Netrc
	}
	if p := s.getenv("NETRC"); p != "" {
		return p
	}
	home := s.getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(home, ".netrc")
}

// netrcEntry returns the netrc entry for host and the file's path.
func (s CredentialSource) netrcEntry(host string) (*NetrcMachine, string, error) {
	path := s.netrcPath()
	if path == "" {
		return nil, "", nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, path, nil
	}
	if err != nil {
		return nil, path, err
	}
	n, err := ParseNetrc(path, data)
	if err != nil {
		return nil, path, err
	}
	m, ok := n.Lookup(host)
	if !ok {
		return nil, path, nil
	}
	return &m, path, nil
}
