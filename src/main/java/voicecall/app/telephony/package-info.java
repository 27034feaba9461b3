/**
 * How calls reach the engine: the pieces shared by the AudioSocket, FastAGI and ARI adapters (the
 * frame clock and its metrics, the registry of live calls, and what a call does once answered).
 */
@NullMarked
package voicecall.app.telephony;

import org.jspecify.annotations.NullMarked;
