import type { ExpressionSpecification } from 'maplibre-gl';
import type { FacilityTypeCode } from '../api/endpoints';

/** One colour per facility type, shared by the map layers and the legend. */
export const FACILITY_COLOURS: Record<FacilityTypeCode, string> = {
  party_mass_service_centre: '#c62828',
  community_service_centre: '#1565c0',
  day_care_centre: '#ef6c00',
  home_elderly_care_station: '#c79100',
  elderly_canteen: '#8d6e63',
  care_home: '#6a1b9a',
  volunteer_station: '#00897b',
  home_for_disabled: '#3949ab',
  health_station: '#2e7d32',
  emergency_shelter: '#37474f',
  convenience_station: '#d81b60',
};

export const FALLBACK_FACILITY_COLOUR = '#757575';

/** The same table as a MapLibre `match` on the feature's `facilityType`. */
export function facilityColourExpression(): ExpressionSpecification {
  const pairs = Object.entries(FACILITY_COLOURS).flat();
  return ['match', ['get', 'facilityType'], ...pairs, FALLBACK_FACILITY_COLOUR] as unknown as ExpressionSpecification;
}
