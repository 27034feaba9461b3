/** Tests of the audio values and signal processing. */
@NullMarked
package voicecall.tts.audio;

import org.jspecify.annotations.NullMarked;
