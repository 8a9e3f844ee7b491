#!/bin/sh
# cli-install.sh - make install and what it installs (TAP, run by prove):
# the binary, the shipped scenarios where the binary finds them (--help
# names the directory; a scenario name that is not in the working
# directory but ships with rollsim is pointed to), the documentation, and
# make uninstall removing exactly that.
. "$(dirname "$0")/cli-lib.sh"

build=$(cd "$(dirname "$bin")" && pwd)
prefix=$tmp/prefix
# Install the binary under test as it is (-o: never remade here), so that
# this test never rebuilds the tree other tests are running from.
make -s -C "$src" -o "$build/rollsim" BUILD="$build" PREFIX="$prefix" install \
    >"$tmp/log" 2>&1
ok $? "make install PREFIX=... ($(tail -c 200 "$tmp/log"))"
[ -x "$prefix/bin/rollsim" ] \
    && [ -f "$prefix/share/rollsim/scenarios/canary-bad.ini" ] \
    && [ -f "$prefix/share/doc/rollsim/README.md" ] \
    && [ -f "$prefix/share/doc/rollsim/docs/design.md" ] \
    && [ -f "$prefix/share/doc/rollsim/docs/img/seed-rolling-pods.png" ]
ok $? "the binary, the scenarios and the documentation are installed"
"$prefix/bin/rollsim" --help > "$tmp/help"
grep -q "Shipped scenarios: $prefix/share/rollsim/scenarios" "$tmp/help"
ok $? "--help names the installed scenarios"
(cd "$tmp" && "$prefix/bin/rollsim" check canary-bad.ini 2>err)
[ $? -eq 2 ] && grep -q "rollsim ships a scenario of that name: $prefix/share/rollsim/scenarios/canary-bad.ini" "$tmp/err"
ok $? "a shipped scenario's name elsewhere: the error says where it is"
(cd "$tmp" && "$prefix/bin/rollsim" check "$prefix/share/rollsim/scenarios/canary-bad.ini" >/dev/null)
ok $? "the installed scenario checks"
make -s -C "$src" BUILD="$build" PREFIX="$prefix" uninstall >"$tmp/log" 2>&1
[ ! -e "$prefix/bin/rollsim" ] && [ ! -e "$prefix/share/rollsim" ] \
    && [ ! -e "$prefix/share/doc/rollsim" ]
ok $? "make uninstall removes what make install put there"

done_testing
