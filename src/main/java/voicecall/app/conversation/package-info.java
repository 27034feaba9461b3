/**
 * The spoken conversation in the application: English calls run the engine's turn loop (Silero VAD,
 * PocketSphinx, the knowledge index, ordered synthesis) when PocketSphinx is installed; other calls
 * keep the tone greeting. Turn latency and decisions go to Micrometer.
 */
@NullMarked
package voicecall.app.conversation;

import org.jspecify.annotations.NullMarked;
