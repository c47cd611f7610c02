package venv

import (
	"path/filepath"
	"strings"
)

// activateScripts returns the activate scripts of the environment at dir, by
// file name: "activate" (bash, zsh), "activate.fish" and "activate.csh" (csh,
// tcsh). Each puts dir's scripts folder first on PATH, sets VIRTUAL_ENV and
// VIRTUAL_ENV_PROMPT, and defines deactivate, which undoes it.
func activateScripts(dir, scripts string) map[string][]byte {
	prompt := "(" + filepath.Base(dir) + ") "
	return map[string][]byte{
		"activate":      activateSh(dir, scripts, prompt),
		"activate.fish": activateFish(dir, scripts, prompt),
		"activate.csh":  activateCsh(dir, scripts, prompt),
	}
}

// shellQuote quotes s for POSIX shells and csh: a quote becomes quote, backslash, quote, quote.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s for fish, where \\ and \' are escapes inside single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func activateSh(dir, scripts, prompt string) []byte {
	return []byte(`# Source this file from bash or zsh: . bin/activate
deactivate () {
    if [ -n "${_OLD_VIRTUAL_PATH:-}" ]; then
        PATH="$_OLD_VIRTUAL_PATH"; export PATH; unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "${_OLD_VIRTUAL_PYTHONHOME:-}" ]; then
        PYTHONHOME="$_OLD_VIRTUAL_PYTHONHOME"; export PYTHONHOME; unset _OLD_VIRTUAL_PYTHONHOME
    fi
    if [ -n "${_OLD_VIRTUAL_PS1+set}" ]; then
        PS1="$_OLD_VIRTUAL_PS1"; export PS1; unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    hash -r 2>/dev/null
    if [ "${1:-}" != "nondestructive" ]; then
        unset -f deactivate
    fi
}

deactivate nondestructive

VIRTUAL_ENV=` + shellQuote(dir) + `
export VIRTUAL_ENV
_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/` + scripts + `:$PATH"
export PATH
if [ -n "${PYTHONHOME:-}" ]; then
    _OLD_VIRTUAL_PYTHONHOME="$PYTHONHOME"
    unset PYTHONHOME
fi
VIRTUAL_ENV_PROMPT=` + shellQuote(prompt) + `
export VIRTUAL_ENV_PROMPT
if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT:-}" ]; then
    _OLD_VIRTUAL_PS1="${PS1:-}"
    PS1="$VIRTUAL_ENV_PROMPT${PS1:-}"
    export PS1
fi
hash -r 2>/dev/null
`)
}

func activateFish(dir, scripts, prompt string) []byte {
	return []byte(`# Source this file from fish: source bin/activate.fish
function deactivate -d "leave the virtualenv"
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        if functions -q _old_fish_prompt
            functions -e fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != "nondestructive"
        functions -e deactivate
    end
end

deactivate nondestructive

set -gx VIRTUAL_ENV ` + fishQuote(dir) + `
set -gx _OLD_VIRTUAL_PATH $PATH
set -gx PATH "$VIRTUAL_ENV/` + scripts + `" $PATH
if set -q PYTHONHOME
    set -gx _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end
set -gx VIRTUAL_ENV_PROMPT ` + fishQuote(prompt) + `
if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    functions -c fish_prompt _old_fish_prompt
    function fish_prompt
        set -l old_status $status
        printf "%s" "$VIRTUAL_ENV_PROMPT"
        echo "exit $old_status" | .
        _old_fish_prompt
    end
    set -gx _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
end
`)
}

func activateCsh(dir, scripts, prompt string) []byte {
	return []byte(`# Source this file from csh or tcsh: source bin/activate.csh
alias deactivate 'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH" && unset _OLD_VIRTUAL_PATH; rehash; test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt="$_OLD_VIRTUAL_PROMPT" && unset _OLD_VIRTUAL_PROMPT; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; test "\!:*" != "nondestructive" && unalias deactivate'

deactivate nondestructive

setenv VIRTUAL_ENV ` + shellQuote(dir) + `
set _OLD_VIRTUAL_PATH="$PATH"
setenv PATH "$VIRTUAL_ENV/` + scripts + `:$PATH"
setenv VIRTUAL_ENV_PROMPT ` + shellQuote(prompt) + `
if ( $?prompt ) then
    set _OLD_VIRTUAL_PROMPT="$prompt"
    if (! "$?VIRTUAL_ENV_DISABLE_PROMPT") then
        set prompt = "$VIRTUAL_ENV_PROMPT$prompt"
    endif
endif
rehash
`)
}
