# Sourced by ./mvnw and ./sluice. sluice_find_jdk MIN prints the home of the first JDK whose major
# version is at least MIN, looking at $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*.
# When there is none it says so in one line on stderr and returns 1.

sluice_java_major() {
  # The JDK's release file says JAVA_VERSION="25.0.1" without starting a JVM (which costs a tenth of a second
  # or more, on every ./sluice); without one, `java -version` prints e.g. openjdk version "25.0.1" or "1.8.0_392".
  # Read with the shell's own words: each program started here costs a few milliseconds of every ./sluice.
  local v="" line
  if [ -f "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=\"*) v=${line#JAVA_VERSION=\"}; v=${v%%\"*}; break ;;
      esac
    done < "$1/release"
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  case "$v" in
    "") echo 0; return ;;
    1.*) v=${v#1.} ;;
  esac
  v=${v%%.*}
  echo "${v%%[-+_]*}"
}

sluice_find_jdk() {
  local min=$1 candidates=() home java
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java=$(command -v java 2>/dev/null) && java=$(readlink -f "$java"); then
    # <home>/bin/java
    java=${java%/*}
    candidates+=("${java%/*}")
  fi
  for home in /usr/lib/jvm/*; do candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] \
        && [ "$(sluice_java_major "$home")" -ge "$min" ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  echo "sluice: no JDK $min or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*); install one or set JAVA_HOME" >&2
  return 1
}
