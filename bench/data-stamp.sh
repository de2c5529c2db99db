# Sourced by bench/run.sh and bench/serve.sh: the synthetic inboxes under
# bench/data are kept between runs, and drawn again when what draws them
# (the plans' synth: sections, the generator) has changed since.
STAMP=$(cat pipelines/*.yaml Sources/EdupipeSynth/*.swift | sha256sum | cut -c1-16)
if [ -d "$DATA" ] && [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$STAMP" ]; then
  echo "bench/data was drawn by another generator or plan: drawing it again" >&2
  rm -rf "$DATA"
fi
mkdir -p "$DATA"
echo "$STAMP" > "$DATA/.stamp"
