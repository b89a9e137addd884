import type { Resource } from "sst";
import { describe, expectTypeOf, it } from "vitest";

// Checked by `tsc` (npm run typecheck): these only compile while sst-env.d.ts augments sst's
// Resource with the links the handlers read.
describe("sst-env.d.ts", () => {
  it("types the links the handlers read", () => {
    expectTypeOf<Resource["Table"]["name"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["Jobs"]["url"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["GoogleClientId"]["value"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["GoogleClientSecret"]["value"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["SessionKey"]["value"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["TokenKey"]["value"]>().toEqualTypeOf<string>();
    expectTypeOf<Resource["SettingsUrl"]["url"]>().toEqualTypeOf<string>();
  });
});
