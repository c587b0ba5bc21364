/**
 * The upstream corpus (issue 15, README "Upstream corpus"): {@link dev.signet.corpus.Recorder} keeps,
 * per connection, what each upstream really sent in sign-ins, made {@link dev.signet.corpus.Synthetic}
 * before it is written, for {@code signet corpus export}, {@code signet replay} (package
 * {@code dev.signet.replay}: what an entry must hold for it to run a connector again offline) and the
 * drift watcher. Uses {@code connector} (it is an {@code UpstreamObserver}), {@code config} (the
 * connection's {@code record} settings) and {@code store} (the {@code upstream_corpus} table).
 */
@NullMarked
package dev.signet.corpus;

import org.jspecify.annotations.NullMarked;
