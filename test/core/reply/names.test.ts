import { describe, expect, it } from "vitest";
import { firstNameOf } from "../../../functions/core/reply/names.ts";

describe("firstNameOf", () => {
  it.each([
    ["Jane Smith", "Jane"],
    ["Jane", "Jane"],
    ["Smith, Jane", "Jane"],
    ["Smith, Jane Marie", "Jane"],
    ["Núñez García, José", "José"],
    ["López, María José", "María José"],
    ["Dr. Jane Smith", "Jane"],
    ["Dr Jane Smith", "Jane"],
    ["Prof. Dr. Hans Müller", "Hans"],
    ["Herr Dr. med. Jürgen Weiß", "Jürgen"],
    ["Mme Camille Durand", "Camille"],
    ["Sra. Lucía Fernández", "Lucía"],
    ["Jane Smith, PhD", "Jane"],
    ["Jane Smith PhD", "Jane"],
    ["John Smith, Jr.", "John"],
    ["Smith, Dr. Jane", "Jane"],
    ['"Jane Smith"', "Jane"],
    ["'Jane Smith'", "Jane"],
    ["JANE SMITH", "Jane"],
    ["jane smith", "Jane"],
    ["JEAN-PIERRE DUPONT", "Jean-Pierre"],
    ["Jean-Pierre Dupont", "Jean-Pierre"],
    ["DeShawn Jones", "DeShawn"],
    ["María José García", "María José"],
    ["Juan Carlos Pérez", "Juan Carlos"],
    ["María García", "María"],
    ["Zoë Müller", "Zoë"],
    ["Björn Ødegaard", "Björn"],
    ["Jane Smith (Acme)", "Jane"],
    ["Jane Smith via Google Calendar", "Jane"],
    ["Jane Smith | Acme Corp", "Jane"],
    ["Jane Smith - Acme", "Jane"],
    ["J. Robert Oppenheimer", "Robert"],
    ["=?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?=", "José"],
    ["=?ISO-8859-1?Q?Fran=E7ois_Dupont?=", "François"],
    ["山田 太郎", "山田太郎"],
  ])("%j → %j", (display, expected) => {
    expect(firstNameOf(display)).toBe(expected);
  });

  it.each([
    [""],
    ["   "],
    ["jane.smith@client.example"],
    ["Events Team"],
    ["Acme Corp"],
    ["Google Calendar"],
    ["no-reply"],
    ["Dr. Smith"],
    ["Herr Müller"],
    ["Mrs. Smith"],
    ["J. Smith"],
    ["J. R."],
    ["123 456"],
    ["Club Náutico"],
  ])("%j gives no first name", (display) => {
    expect(firstNameOf(display)).toBeNull();
  });
});
