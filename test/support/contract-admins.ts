/** The contract administrators of the contract tests: one of the Land, one of the Kommune. */
export const LAND_ADMIN = {
  id: 'mk-lange',
  name: 'Petra Lange',
  email: 'petra.lange@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
};
export const KOMMUNE_ADMIN = {
  id: 'lk-okafor',
  name: 'Sam Okafor',
  email: 'sam.okafor@heidekreis.example',
  language: 'en',
  partner: 'kommune',
};
