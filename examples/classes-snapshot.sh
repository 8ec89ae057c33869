# Sourced by the study scripts (not run on its own). classes_snapshot OUT compiles the examples
# once, copies rpg-core's, rpg-dl4j's and examples' classes to OUT/classes (so the sources can change
# while the study runs) and prints the classpath of that copy; later calls reuse OUT/classes/cp.txt.
# Returns non-zero if the build or the copy fails (command substitution does not inherit set -e).
classes_snapshot() {
    local out=$1 snapshot="$1/classes"
    if [[ ! -f "$snapshot/cp.txt" ]]; then
        mvn -B -o -q -Dstyle.color=never -pl examples -am -DskipTests compile dependency:build-classpath \
            -Dmdep.outputFile="$out/deps.txt" >&2 || return
        mkdir -p "$snapshot"
        for m in rpg-core rpg-dl4j examples; do cp -r "$m/target/classes" "$snapshot/$m" || return; done
        echo "$snapshot/rpg-core:$snapshot/rpg-dl4j:$snapshot/examples:$(sed "s|[^:]*/rpg-[a-z0-9]*/target/classes:\?||g" "$out/deps.txt")" \
            > "$snapshot/cp.txt"
    fi
    cat "$snapshot/cp.txt"
}
