/**
 * The gateway's table of training options (names, types, defaults, bounds, words), imported from
 * its source so the form's rules, defaults and hints are the ones the server checks with. It is
 * the one file the dashboard takes from the gateway; it imports nothing itself, so it runs in the
 * browser unchanged.
 */
export * from "../../../gateway/src/training/training-option-spec";
