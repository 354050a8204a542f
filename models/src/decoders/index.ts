// Placeholder until the decoders land (owned by another helper); exports nothing yet.
export {};
