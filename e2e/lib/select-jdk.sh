# Sourced by .ci/run and e2e/demo.sh: keeps JAVA_HOME when it is a JDK 21 or newer, otherwise
# exports the newest JDK >= 21 found in the usual install locations. The enforcer rule in
# pom.xml still fails the build with a clear message if Maven ends up on an older Java.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" ]] || (( $(java_major "$JAVA_HOME") < 21 )); then
  _best="" _best_major=0
  for _candidate in /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [[ -x "$_candidate/bin/javac" ]] || continue
    _major=$(java_major "$_candidate")
    if [[ -n "$_major" ]] && (( _major >= 21 && _major > _best_major )); then
      _best="$_candidate" _best_major=$_major
    fi
  done
  if [[ -z "$_best" ]]; then
    echo "error: no JDK 21 or newer found; install one and set JAVA_HOME" >&2
    exit 1
  fi
  export JAVA_HOME="$_best"
  unset _best _best_major _candidate _major
fi
echo "JAVA_HOME=$JAVA_HOME ($(java_major "$JAVA_HOME"))" >&2
