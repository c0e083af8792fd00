# Shared by the benchmark scripts (sourced). Expects `repo`, `scratch`, `die` and `note` from the caller.

# Sets `shoal` to $SHOAL_BIN, or builds the release binary in the scratch path and points at it.
resolve_shoal_binary() {
    if [[ -n ${SHOAL_BIN:-} ]]; then
        shoal=$SHOAL_BIN
        [[ -x $shoal ]] || die "SHOAL_BIN=$shoal is not an executable"
    else
        command -v swift >/dev/null || die "swift is not on PATH (or set SHOAL_BIN to a built shoal)"
        note "building shoal (release, scratch path $scratch)"
        (cd "$repo" && swift build -c release --product shoal --scratch-path "$scratch" >&2)
        shoal=$(cd "$repo" && swift build -c release --product shoal --scratch-path "$scratch" --show-bin-path)/shoal
    fi
}
