/** Typed configuration of the engine ({@code voicecall.*}) and the wiring of shared parts. */
@NullMarked
package voicecall.app.config;

import org.jspecify.annotations.NullMarked;
