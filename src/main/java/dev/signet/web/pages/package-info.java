/** Hosted pages: jte templates (src/main/jte) precompiled at build time, and their view records. */
@NullMarked
package dev.signet.web.pages;

import org.jspecify.annotations.NullMarked;
