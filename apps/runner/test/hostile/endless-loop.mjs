// Never ends.
for (;;) {
  // spin
}
