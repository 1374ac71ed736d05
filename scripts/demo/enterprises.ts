/**
 * The demo's credit subjects: two enterprises in each of the five cities,
 * with Chinese names and valid USCCs under the city's administrative division
 * code. All of them are invented (synthetic); any likeness to a real company
 * is accidental.
 *
 * @packageDocumentation
 */
import { cityById, type CityId } from '@jcc/domain';
import { syntheticUscc } from './uscc.js';

/** An administrative penalty the public credit report of an enterprise lists. */
export interface DemoPenalty {
  decisionDate: string;
  authority: string;
  matter: string;
  outcome: string;
}

/** A demo enterprise (credit subject). */
export interface DemoEnterprise {
  /** Short key the other demo tables refer to, e.g. `qd-machinery`. */
  key: string;
  city: CityId;
  name: string;
  nameEn: string;
  uscc: string;
  industry: string;
  registeredCapital: string;
  established: string;
  /** Administrative licences on record (a count, for the report). */
  licences: number;
  penalties: DemoPenalty[];
}

type Row = Omit<DemoEnterprise, 'uscc'> & { orgCode: string };

const ROWS: Row[] = [
  {
    key: 'qd-machinery',
    city: 'qingdao',
    name: '青岛海湾精密机械有限公司',
    nameEn: 'Qingdao Haiwan Precision Machinery Co., Ltd.',
    orgCode: 'MA3C7L2K8',
    industry: '通用设备制造业',
    registeredCapital: '5000万元',
    established: '2016-04-18',
    licences: 6,
    penalties: [
      {
        decisionDate: '2025-03-12',
        authority: '青岛市生态环境局',
        matter: '危险废物贮存场所未设置识别标志',
        outcome: '罚款2万元，已缴纳并整改完毕',
      },
    ],
  },
  {
    key: 'qd-coldchain',
    city: 'qingdao',
    name: '青岛鳌山湾冷链物流有限公司',
    nameEn: 'Qingdao Aoshan Bay Cold Chain Logistics Co., Ltd.',
    orgCode: 'MA3D2P9Q4',
    industry: '仓储业（冷链物流）',
    registeredCapital: '3000万元',
    established: '2018-09-03',
    licences: 4,
    penalties: [],
  },
  {
    key: 'yt-wine',
    city: 'yantai',
    name: '烟台芝罘湾葡萄酒业有限公司',
    nameEn: 'Yantai Zhifu Bay Winery Co., Ltd.',
    orgCode: 'MA3FX8N61',
    industry: '酒、饮料制造业',
    registeredCapital: '8000万元',
    established: '2012-06-21',
    licences: 9,
    penalties: [],
  },
  {
    key: 'yt-fruit',
    city: 'yantai',
    name: '烟台福山果蔬供应链有限公司',
    nameEn: 'Yantai Fushan Fruit & Vegetable Supply Chain Co., Ltd.',
    orgCode: 'MA3H4T7W2',
    industry: '农产品批发业',
    registeredCapital: '1200万元',
    established: '2019-02-27',
    licences: 3,
    penalties: [],
  },
  {
    key: 'wh-seafood',
    city: 'weihai',
    name: '威海石岛海洋食品有限公司',
    nameEn: 'Weihai Shidao Ocean Foods Co., Ltd.',
    orgCode: 'MA3K9R5B3',
    industry: '水产品加工业',
    registeredCapital: '6000万元',
    established: '2014-11-10',
    licences: 7,
    penalties: [],
  },
  {
    key: 'wh-gear',
    city: 'weihai',
    name: '威海环翠渔具制造有限公司',
    nameEn: 'Weihai Huancui Fishing Tackle Manufacturing Co., Ltd.',
    orgCode: '26410387M',
    industry: '文教体育用品制造业',
    registeredCapital: '800万元',
    established: '2003-05-16',
    licences: 2,
    penalties: [
      {
        decisionDate: '2025-07-08',
        authority: '威海市生态环境局',
        matter: '喷涂工序挥发性有机物超标排放',
        outcome: '罚款5万元，责令限期整改',
      },
    ],
  },
  {
    key: 'wf-veg',
    city: 'weifang',
    name: '潍坊寿光设施蔬菜产业有限公司',
    nameEn: 'Weifang Shouguang Greenhouse Vegetables Co., Ltd.',
    orgCode: 'MA3M6Y1C9',
    industry: '蔬菜种植及农产品初加工',
    registeredCapital: '2000万元',
    established: '2015-03-30',
    licences: 5,
    penalties: [],
  },
  {
    key: 'wf-kite',
    city: 'weifang',
    name: '潍坊鸢飞风筝文化创意有限公司',
    nameEn: 'Weifang Yuanfei Kite Culture & Creative Co., Ltd.',
    orgCode: 'MA3N8E4G7',
    industry: '工艺美术品制造业',
    registeredCapital: '500万元',
    established: '2017-08-08',
    licences: 2,
    penalties: [],
  },
  {
    key: 'rz-steel',
    city: 'rizhao',
    name: '日照岚山钢结构工程有限公司',
    nameEn: 'Rizhao Lanshan Steel Structure Engineering Co., Ltd.',
    orgCode: 'MA3P5U2H6',
    industry: '建筑安装业（钢结构）',
    registeredCapital: '1亿元',
    established: '2011-01-19',
    licences: 8,
    penalties: [
      {
        decisionDate: '2025-05-22',
        authority: '日照市应急管理局',
        matter: '高处作业未落实安全防护措施，发生一般生产安全事故',
        outcome: '罚款60万元',
      },
    ],
  },
  {
    key: 'rz-tea',
    city: 'rizhao',
    name: '日照碧波绿茶农业科技有限公司',
    nameEn: 'Rizhao Bibo Green Tea Agricultural Technology Co., Ltd.',
    orgCode: 'MA3Q1W7J0',
    industry: '茶叶种植及加工',
    registeredCapital: '1500万元',
    established: '2020-04-12',
    licences: 3,
    penalties: [],
  },
];

/** The ten demo enterprises, two per city, in the consortium's city order. */
export const ENTERPRISES: readonly DemoEnterprise[] = ROWS.map(({ orgCode, ...row }) => ({
  ...row,
  uscc: syntheticUscc(cityById(row.city).divisionCode, orgCode),
}));

/** The demo enterprise with this key. */
export function enterprise(key: string): DemoEnterprise {
  const found = ENTERPRISES.find((e) => e.key === key);
  if (!found) throw new Error(`no demo enterprise ${key}`);
  return found;
}

/** How an operator names an enterprise in a request body. */
export function subjectOf(e: DemoEnterprise): { kind: 'enterprise'; uscc: string } {
  return { kind: 'enterprise', uscc: e.uscc };
}
