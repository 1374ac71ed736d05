/**
 * The five cities of the Jiaodong Peninsula credit-integration programme
 * (胶东经济圈五市). Each city is one Fabric organisation (MSP) running one peer,
 * one ordering node and one gateway.
 */

/** Lower-case city identifier used in URLs, ids and configuration. */
export type CityId = 'qingdao' | 'yantai' | 'weihai' | 'weifang' | 'rizhao';

/** A member city of the consortium. */
export interface City {
  /** Lower-case identifier, e.g. `qingdao`. */
  readonly id: CityId;
  /** English name, e.g. `Qingdao`. */
  readonly name: string;
  /** Chinese name, e.g. `青岛`. */
  readonly nameZh: string;
  /** Administrative division code (行政区划代码), e.g. `370200`. */
  readonly divisionCode: string;
  /** Fabric MSP id of the city's organisation, e.g. `QingdaoMSP`. */
  readonly mspId: string;
  /** Default port of the city's gateway on the local network. */
  readonly gatewayPort: number;
}

/** The city table, in the consortium's fixed order. */
export const CITIES: readonly City[] = Object.freeze([
  { id: 'qingdao', name: 'Qingdao', nameZh: '青岛', divisionCode: '370200', mspId: 'QingdaoMSP', gatewayPort: 8101 },
  { id: 'yantai', name: 'Yantai', nameZh: '烟台', divisionCode: '370600', mspId: 'YantaiMSP', gatewayPort: 8102 },
  { id: 'weihai', name: 'Weihai', nameZh: '威海', divisionCode: '371000', mspId: 'WeihaiMSP', gatewayPort: 8103 },
  { id: 'weifang', name: 'Weifang', nameZh: '潍坊', divisionCode: '370700', mspId: 'WeifangMSP', gatewayPort: 8104 },
  { id: 'rizhao', name: 'Rizhao', nameZh: '日照', divisionCode: '371100', mspId: 'RizhaoMSP', gatewayPort: 8105 },
] as const satisfies readonly City[]);

/** All city ids, in the consortium's fixed order. */
export const CITY_IDS: readonly CityId[] = Object.freeze(CITIES.map((c) => c.id));

/** True when `value` names one of the five cities. */
export function isCityId(value: unknown): value is CityId {
  return typeof value === 'string' && (CITY_IDS as readonly string[]).includes(value);
}

/** The city with this id; throws `RangeError` for an unknown id. */
export function cityById(id: string): City {
  const city = CITIES.find((c) => c.id === id);
  if (!city) throw new RangeError(`unknown city: ${id}`);
  return city;
}

/** The city whose organisation has this MSP id, or `undefined`. */
export function cityByMspId(mspId: string): City | undefined {
  return CITIES.find((c) => c.mspId === mspId);
}
