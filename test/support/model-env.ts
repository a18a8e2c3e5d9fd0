// Imported first by model.property.e2e-spec.ts: a small event cap, so that
// random sequences reach SESSION_FULL (and replays after it) often.
import './property-env';

export const MODEL_MAX_EVENTS = 4;
process.env.MAX_EVENTS_PER_SESSION = String(MODEL_MAX_EVENTS);
