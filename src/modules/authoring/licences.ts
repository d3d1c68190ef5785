import type { TFunction } from '../../platform/i18n.js';
import type { Licence } from './authoring.schemas.js';

const CC_URL: Record<Licence, string | null> = {
  'all-rights-reserved': null,
  'cc-by': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-by-sa': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc-by-nc': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'cc-by-nc-sa': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'cc-by-nd': 'https://creativecommons.org/licenses/by-nd/4.0/',
  'cc-by-nc-nd': 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
  cc0: 'https://creativecommons.org/publicdomain/zero/1.0/',
};

export const licenceUrl = (l: Licence) => CC_URL[l];
export const licenceName = (l: Licence, t: TFunction) => t(`authoring:licences.${l}`);
/** The licence in words for metadata, which is read by machines and people of any language. */
export const licenceEnglish: Record<Licence, string> = {
  'all-rights-reserved': 'All rights reserved',
  'cc-by': 'Creative Commons Attribution 4.0 (CC BY 4.0)',
  'cc-by-sa': 'Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)',
  'cc-by-nc': 'Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)',
  'cc-by-nc-sa': 'Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0)',
  'cc-by-nd': 'Creative Commons Attribution-NoDerivatives 4.0 (CC BY-ND 4.0)',
  'cc-by-nc-nd': 'Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 (CC BY-NC-ND 4.0)',
  cc0: 'CC0 1.0 Universal (public domain dedication)',
};
