package project

import (
	"path/filepath"

	"github.com/pylock/pylock/venv"
)

// interpreterCacheName is the cache subfolder holding interpreter facts.
const interpreterCacheName = "interpreters-v1"

// finder finds interpreters, caching what each one answered in the cache
// folder; without a cache folder it still works, querying every time.
func (p *Project) finder() *venv.Finder {
	dir, err := p.cacheRoot()
	if err != nil {
		return &venv.Finder{}
	}
	return venv.FactsCache(filepath.Join(dir, interpreterCacheName))
}
