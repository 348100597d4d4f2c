#!/usr/bin/env bash
# Lint the CI examples in docs/ci/ with the linters of the two CI systems,
# offline:
#   GitHub Actions: actionlint, a Go module run with `go run module@version`
#     (so it never enters the project's go.mod);
#   GitLab CI: gitlab-ci-local (npm, pinned in package-lock.json), which
#     expands the pipeline (extends, needs, parallel) and validates it
#     against GitLab's CI JSON schema, which it bundles.
#
# usage: lint.sh                lint docs/ci/github-actions.yml and docs/ci/gitlab-ci.yml
#        lint.sh github FILE    lint one GitHub Actions workflow
#        lint.sh gitlab FILE    lint one GitLab CI pipeline
#        lint.sh install        fetch both linters (the others do it when needed)
#
# A caller that lints many files runs `lint.sh install` once and then sets
# CILINT_INSTALLED=1, which skips the install checks (about a second a file).
#
# Exit codes: 0 clean; 1 a linter found a problem (printed); 2 usage;
# 3 a linter cannot run here (no go, node or npm; a failed install), with the
# reason on stderr, so a caller can tell "broken file" from "no linter".
set -euo pipefail

# actionlint is pinned: a newer release may find new problems, so it moves
# in a commit of its own. shellcheck and pyflakes are turned off: actionlint
# runs them only when they are on PATH, and the verdict must not depend on
# the machine.
readonly actionlint=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here
root="$(cd "$here/../.." && pwd)"
readonly root
readonly glcl="$here/node_modules/gitlab-ci-local/dist/index.js"

cannot_run() {
	echo "cilint: cannot run: $*" >&2
	exit 3
}

# install makes both linters runnable: npm ci when node_modules is missing or
# older than the lock file, and one `go run` that downloads and builds
# actionlint into Go's build cache.
install() {
	command -v go >/dev/null || cannot_run "go is not on PATH (actionlint runs with go run)"
	command -v node >/dev/null || cannot_run "node is not on PATH (gitlab-ci-local is a node program)"
	command -v npm >/dev/null || cannot_run "npm is not on PATH (it installs gitlab-ci-local)"
	command -v git >/dev/null || cannot_run "git is not on PATH (gitlab-ci-local reads a repository)"
	if [[ ! -f "$glcl" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
		(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
			cannot_run "npm ci in tools/cilint failed"
	fi
	(cd "$here" && go run "$actionlint" -version >/dev/null) ||
		cannot_run "go run $actionlint failed"
	node "$glcl" --version >/dev/null ||
		cannot_run "gitlab-ci-local does not start with node $(node --version)"
}

lint_github() {
	local file
	file="$(realpath "$1")"
	# From the root: actionlint names the file relative to it (docs/ci/...).
	(cd "$root" && go run "$actionlint" -shellcheck= -pyflakes= -no-color "$file")
}

# lint_gitlab runs gitlab-ci-local in a scratch git repository holding only
# the pipeline, as .gitlab-ci.yml: it reads git metadata and writes its state
# next to the file, and neither may touch the working tree.
lint_gitlab() {
	local file scratch rc=0
	file="$(realpath "$1")"
	scratch="$(mktemp -d)"
	cp "$file" "$scratch/.gitlab-ci.yml"
	# && throughout: errexit is off in a function called from an if.
	(
		cd "$scratch" &&
			git init -q -b main . &&
			git -c user.name=cilint -c user.email=cilint@localhost -c commit.gpgsign=false \
				commit -q --allow-empty -m lint &&
			git remote add origin https://gitlab.example/group/project.git &&
			git update-ref refs/remotes/origin/main HEAD &&
			git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
	) || { rm -rf "$scratch"; cannot_run "git could not set up a scratch repository"; }
	# Run from the scratch directory: --cwd takes only relative paths.
	(cd "$scratch" && node "$glcl" --home .home --list --json-schema-validation) || rc=$?
	rm -rf "$scratch"
	return "$rc"
}

# lint KIND FILE prints the verdict for one file and returns 1 on findings.
lint() {
	local kind=$1 file=$2
	[[ -f "$file" ]] || { echo "cilint: $file: no such file" >&2; exit 2; }
	if "lint_$kind" "$file"; then
		echo "cilint: $kind: $file: ok"
	else
		echo "cilint: $kind: $file: FAILED (findings above)" >&2
		return 1
	fi
}

main() {
	case "${1:-}" in
	"")
		install
		local rc=0
		lint github "$root/docs/ci/github-actions.yml" || rc=1
		lint gitlab "$root/docs/ci/gitlab-ci.yml" || rc=1
		exit "$rc"
		;;
	install)
		install
		;;
	github | gitlab)
		[[ $# -eq 2 ]] || { echo "usage: lint.sh $1 FILE" >&2; exit 2; }
		[[ "${CILINT_INSTALLED:-}" == 1 ]] || install
		lint "$1" "$2" || exit 1
		;;
	*)
		echo "usage: lint.sh [install | github FILE | gitlab FILE]" >&2
		exit 2
		;;
	esac
}

main "$@"
