# Sourced by Parley's scripts: sets JAVA_HOME to a JDK >= 21 or explains what is missing and exits.
# Order: $JAVA_HOME if it is >= 21, then the JDKs under /usr/lib/jvm and /opt/java (newest first), then
# the `java` on PATH.

parley_java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

parley_find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* /opt/java/* 2>/dev/null | sort -rV) \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(parley_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  cat >&2 <<'MSG'
Parley needs a JDK 21 or newer (java and javac), and none was found.
Looked at: $JAVA_HOME, /usr/lib/jvm/*, /opt/java/*, and the java on PATH.
Install one (for example Debian's openjdk-21-jdk-headless, or Eclipse Temurin 21+) and either put it
under /usr/lib/jvm or point JAVA_HOME at it.
MSG
  return 1
}
