/**
 * Audio frames (16-bit mono PCM with a sample rate and a timestamp), the telephony wire codecs
 * (slin 8/16 kHz, G.711 mu-law) and tone generation.
 */
@NullMarked
package voicecall.engine.audio;

import org.jspecify.annotations.NullMarked;
