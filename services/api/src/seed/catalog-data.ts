/**
 * What a Dhaka electronics shop sells, as of the 2025-26 season: categories,
 * the brands actually on sale here per category, model lines with typical
 * BDT street prices (Star Tech / Ryans / Pickaboo range), and the variants
 * that multiply a model line into SKUs. Prices are whole Taka.
 */
export interface ModelLine {
  model: string;
  price: number;
}
export interface Variant {
  label: string;
  code: string;
  /** Multiplies the base price: the bigger variant costs more. */
  factor: number;
  specs: Record<string, string>;
}
export interface LeafCategory {
  slug: string;
  name: string;
  parent: string;
  code: string;
  brands: Record<string, ModelLine[]>;
  variants: Variant[];
  colours: string[];
  specs: (model: string, brand: string) => Record<string, string>;
  blurb: string;
}

export const TOP_CATEGORIES = [
  { slug: 'mobiles-tablets', name: 'Mobiles & Tablets' },
  { slug: 'laptops-computers', name: 'Laptops & Computers' },
  { slug: 'tv-audio', name: 'TV & Audio' },
  { slug: 'home-appliances', name: 'Home Appliances' },
  { slug: 'kitchen-appliances', name: 'Kitchen Appliances' },
  { slug: 'power-accessories', name: 'Power & Accessories' },
  { slug: 'cameras-gaming', name: 'Cameras & Gaming' },
];

const ml = (entries: [string, number][]): ModelLine[] => entries.map(([model, price]) => ({ model, price }));
const mem = (ram: number, storage: number, factor: number): Variant => ({
  label: `${ram}/${storage}GB`,
  code: `${ram}-${storage}`,
  factor,
  specs: { RAM: `${ram} GB`, Storage: `${storage} GB` },
});
const size = (inches: number, factor: number, key = 'Screen Size'): Variant => ({
  label: `${inches} inch`,
  code: `${inches}`,
  factor,
  specs: { [key]: `${inches} inch` },
});
const cap = (label: string, code: string, factor: number, key: string): Variant => ({ label, code, factor, specs: { [key]: label } });
const warranty = (years: number) => ({ Warranty: `${years} year${years > 1 ? 's' : ''} official` });

export const LEAF_CATEGORIES: LeafCategory[] = [
  {
    slug: 'smartphones',
    name: 'Smartphones',
    parent: 'mobiles-tablets',
    code: 'PH',
    brands: {
      Samsung: ml([
        ['Galaxy A06', 13999],
        ['Galaxy A16', 20999],
        ['Galaxy A26 5G', 32999],
        ['Galaxy A36 5G', 42999],
        ['Galaxy A56 5G', 52999],
        ['Galaxy S25', 109999],
        ['Galaxy S25 Ultra', 164999],
        ['Galaxy M35 5G', 29999],
      ]),
      Xiaomi: ml([
        ['Redmi 14C', 14499],
        ['Redmi 13', 17999],
        ['Redmi Note 14', 24999],
        ['Redmi Note 14 Pro', 34999],
        ['Redmi Note 14 Pro+ 5G', 47999],
        ['Poco X7 Pro', 42999],
        ['Xiaomi 14T', 64999],
      ]),
      realme: ml([
        ['C61', 13499],
        ['C75', 18999],
        ['Note 60', 12999],
        ['12 Pro 5G', 38999],
        ['14 Pro+', 52999],
        ['GT 7 Pro', 89999],
      ]),
      Infinix: ml([
        ['Smart 9', 10999],
        ['Hot 50', 17499],
        ['Hot 50 Pro+', 24999],
        ['Note 40', 25999],
        ['Note 40 Pro', 31999],
        ['Zero 40', 44999],
      ]),
      Tecno: ml([
        ['Spark 30C', 13999],
        ['Spark 30 Pro', 21999],
        ['Camon 30', 29999],
        ['Pova 6 Pro', 32999],
        ['Phantom V Fold2', 139999],
      ]),
      Walton: ml([
        ['Primo H12', 10499],
        ['Primo R10', 12999],
        ['Orbit Y21', 14999],
        ['NEXG N74', 16999],
        ['Xanon X20', 27999],
      ]),
      Symphony: ml([
        ['Innova 30', 11999],
        ['Z70', 14499],
        ['Helio 80', 17999],
        ['Atom 5', 8999],
      ]),
      Apple: ml([
        ['iPhone 15', 124999],
        ['iPhone 16', 139999],
        ['iPhone 16 Plus', 154999],
        ['iPhone 16 Pro', 179999],
        ['iPhone 16 Pro Max', 209999],
        ['iPhone 13', 89999],
      ]),
      OnePlus: ml([
        ['Nord CE4 Lite', 32999],
        ['Nord 4', 47999],
        ['13R', 74999],
        ['13', 99999],
      ]),
      vivo: ml([
        ['Y19s', 15999],
        ['Y29', 21999],
        ['V40 Lite', 34999],
        ['V50', 54999],
        ['X200', 104999],
      ]),
      OPPO: ml([
        ['A3x', 15999],
        ['A60', 20999],
        ['Reno12 F', 37999],
        ['Reno13', 56999],
        ['Find X8', 119999],
      ]),
      HONOR: ml([
        ['X6b', 14499],
        ['X7c', 19999],
        ['X9c', 38999],
        ['200', 62999],
      ]),
    },
    variants: [mem(4, 64, 0.85), mem(6, 128, 1), mem(8, 128, 1.1), mem(8, 256, 1.22), mem(12, 256, 1.38), mem(12, 512, 1.6)],
    colours: ['Black', 'Blue', 'Green', 'Silver', 'Purple'],
    specs: () => ({ Display: '6.6" 120Hz', Battery: '5000 mAh', Network: '4G/5G dual SIM', ...warranty(1) }),
    blurb: 'official Bangladesh variant with BTRC registration',
  },
  {
    slug: 'feature-phones',
    name: 'Feature Phones',
    parent: 'mobiles-tablets',
    code: 'FP',
    brands: {
      Nokia: ml([
        ['105', 1750],
        ['110 4G', 3290],
        ['150', 3490],
        ['2660 Flip', 6990],
        ['3210 4G', 5990],
      ]),
      Walton: ml([
        ['Olvio L22', 1290],
        ['Olvio MM22', 1490],
        ['Olvio P30', 1890],
      ]),
      Symphony: ml([
        ['L240', 1290],
        ['B68', 1450],
        ['D54', 1590],
        ['BL110', 1890],
      ]),
      itel: ml([
        ['it2163', 1390],
        ['it5330', 1790],
        ['Magic X Pro', 3490],
      ]),
      Maximus: ml([
        ['M5 Pro', 1450],
        ['P7', 1690],
      ]),
    },
    variants: [{ label: 'Dual SIM', code: 'DS', factor: 1, specs: { SIM: 'Dual SIM' } }],
    colours: ['Black', 'Blue', 'Red', 'Grey'],
    specs: () => ({ Display: '1.8" QVGA', Battery: '1000 mAh', Extras: 'FM radio, torch', ...warranty(1) }),
    blurb: 'long battery life and a loud speaker',
  },
  {
    slug: 'tablets',
    name: 'Tablets',
    parent: 'mobiles-tablets',
    code: 'TB',
    brands: {
      Apple: ml([
        ['iPad 10th Gen', 52999],
        ['iPad Air M2', 84999],
        ['iPad mini A17 Pro', 72999],
        ['iPad Pro M4 11', 139999],
      ]),
      Samsung: ml([
        ['Galaxy Tab A9', 17999],
        ['Galaxy Tab A9+', 26999],
        ['Galaxy Tab S9 FE', 49999],
        ['Galaxy Tab S10+', 114999],
      ]),
      Xiaomi: ml([
        ['Redmi Pad SE', 22999],
        ['Redmi Pad Pro', 34999],
        ['Pad 7', 49999],
      ]),
      Lenovo: ml([
        ['Tab M11', 23999],
        ['Tab P12', 39999],
        ['Legion Tab', 64999],
      ]),
      HONOR: ml([
        ['Pad X9', 24999],
        ['Pad 9', 36999],
      ]),
      Walton: ml([
        ['Walpad 10X', 14999],
        ['Walpad 8G', 10999],
      ]),
    },
    variants: [mem(4, 64, 0.9), mem(6, 128, 1), mem(8, 256, 1.25)],
    colours: ['Grey', 'Silver', 'Blue'],
    specs: () => ({ Display: '11" 90Hz', Battery: '8000 mAh', Connectivity: 'Wi-Fi / LTE', ...warranty(1) }),
    blurb: 'for classes, films and video calls',
  },
  {
    slug: 'laptops',
    name: 'Laptops',
    parent: 'laptops-computers',
    code: 'LP',
    brands: {
      HP: ml([
        ['15s Ryzen 5 7520U', 58500],
        ['250 G10 Core i5', 66500],
        ['Victus 15 Ryzen 5', 92000],
        ['Pavilion x360 14', 98500],
        ['EliteBook 840 G10', 158000],
      ]),
      Lenovo: ml([
        ['IdeaPad Slim 3 Core i3', 51500],
        ['IdeaPad Slim 5 Ryzen 7', 88000],
        ['LOQ 15 Core i5 RTX 3050', 108000],
        ['ThinkPad E14 Gen 6', 104500],
        ['Legion 5 Ryzen 7 RTX 4060', 189000],
      ]),
      ASUS: ml([
        ['Vivobook 15 Core i3', 49500],
        ['Vivobook 16 Ryzen 5', 67000],
        ['TUF Gaming F15 RTX 3050', 99000],
        ['Zenbook 14 OLED', 124000],
        ['ROG Strix G16 RTX 4060', 199000],
      ]),
      Acer: ml([
        ['Aspire 3 Core i3', 48000],
        ['Aspire Lite 15 Ryzen 5', 55500],
        ['Nitro V 15 RTX 4050', 112000],
        ['Swift Go 14', 96000],
      ]),
      Dell: ml([
        ['Inspiron 3520 Core i5', 71000],
        ['Vostro 3530', 69500],
        ['Inspiron 14 Plus', 124000],
        ['Latitude 3540', 86000],
      ]),
      MSI: ml([
        ['Modern 14 Core i5', 64000],
        ['Thin GF63 RTX 2050', 78000],
        ['Katana 15 RTX 4060', 155000],
      ]),
      Apple: ml([
        ['MacBook Air M2 13', 114999],
        ['MacBook Air M3 13', 139999],
        ['MacBook Air M3 15', 164999],
        ['MacBook Pro M4 14', 209999],
      ]),
      Walton: ml([
        ['Tamarind EX510G', 52000],
        ['Passion BX311U', 38500],
      ]),
      Chuwi: ml([
        ['HeroBook Pro', 28500],
        ['CoreBook X', 44500],
      ]),
    },
    variants: [
      cap('8GB RAM 256GB SSD', '8-256', 0.9, 'Memory'),
      cap('8GB RAM 512GB SSD', '8-512', 1, 'Memory'),
      cap('16GB RAM 512GB SSD', '16-512', 1.14, 'Memory'),
      cap('16GB RAM 1TB SSD', '16-1T', 1.28, 'Memory'),
    ],
    colours: ['Silver', 'Grey', 'Blue'],
    specs: () => ({ Display: '15.6" FHD IPS', OS: 'Windows 11 Home', Battery: 'up to 8 hours', ...warranty(2) }),
    blurb: 'with two years of official service in Dhaka',
  },
  {
    slug: 'monitors',
    name: 'Monitors',
    parent: 'laptops-computers',
    code: 'MN',
    brands: {
      Samsung: ml([
        ['Essential S3', 12500],
        ['Odyssey G5 Curved', 32500],
        ['ViewFinity S6', 41000],
      ]),
      LG: ml([
        ['UltraGear 24GS60F', 17500],
        ['27MR400', 14500],
        ['UltraFine 4K', 52000],
      ]),
      Dell: ml([
        ['SE2425H', 13500],
        ['S2725DS', 31000],
        ['UltraSharp U2724D', 49500],
      ]),
      ASUS: ml([
        ['VA24EHF', 12800],
        ['TUF Gaming VG27AQ', 34500],
      ]),
      AOC: ml([
        ['24B20JH', 11200],
        ['27G4', 24800],
      ]),
      Gigabyte: ml([
        ['G24F 2', 17200],
        ['M27Q', 33500],
      ]),
      Xiaomi: ml([
        ['A24i', 11800],
        ['G27i', 18800],
      ]),
    },
    variants: [size(22, 0.85), size(24, 1), size(27, 1.32)],
    colours: ['Black'],
    specs: () => ({ Panel: 'IPS, 100Hz', Ports: 'HDMI, DisplayPort', ...warranty(3) }),
    blurb: 'eye-care flicker-free panel for long office days',
  },
  {
    slug: 'keyboards-mice',
    name: 'Keyboards & Mice',
    parent: 'laptops-computers',
    code: 'KM',
    brands: {
      Logitech: ml([
        ['MK270 Wireless Combo', 2650],
        ['M331 Silent Mouse', 1550],
        ['K380 Bluetooth Keyboard', 3950],
        ['G102 Gaming Mouse', 1850],
        ['MX Master 3S', 11500],
      ]),
      A4Tech: ml([
        ['KR-85 Keyboard', 650],
        ['OP-720 Mouse', 350],
        ['Fstyler FG1010 Combo', 1650],
        ['Bloody B820R', 5200],
      ]),
      Fantech: ml([
        ['MK857 Mechanical', 3250],
        ['X15 Phantom Mouse', 1350],
        ['ATOM96 MK890', 4450],
      ]),
      Rapoo: ml([
        ['8000M Combo', 1850],
        ['M100 Silent', 650],
        ['V500 Pro', 2850],
      ]),
      Havit: ml([
        ['KB486L', 1250],
        ['MS1003', 450],
      ]),
    },
    variants: [cap('Black', 'BK', 1, 'Finish'), cap('White', 'WH', 1.05, 'Finish')],
    colours: [''],
    specs: () => ({ Interface: 'USB / 2.4 GHz', ...warranty(1) }),
    blurb: 'comfortable for office work and gaming',
  },
  {
    slug: 'routers-networking',
    name: 'Routers & Networking',
    parent: 'laptops-computers',
    code: 'RT',
    brands: {
      'TP-Link': ml([
        ['Archer C6', 3350],
        ['Archer C64', 3050],
        ['Archer AX23', 5900],
        ['Deco M4 2-pack', 7900],
        ['TL-WR840N', 1450],
        ['Archer AX55', 8900],
      ]),
      Tenda: ml([
        ['AC10', 2650],
        ['F3', 1250],
        ['TX3 AX1800', 4250],
        ['Nova MW6 3-pack', 7900],
      ]),
      Mercusys: ml([
        ['MR30G', 2150],
        ['MR70X', 3650],
      ]),
      Xiaomi: ml([
        ['Router AX3000T', 4650],
        ['Mi Router 4C', 1750],
      ]),
      'D-Link': ml([
        ['DIR-825', 2950],
        ['DIR-X1860', 5450],
      ]),
      Netis: ml([
        ['N1', 2850],
        ['WF2409E', 1350],
      ]),
    },
    variants: [cap('Router', 'R', 1, 'Type')],
    colours: [''],
    specs: () => ({ WiFi: 'dual band', Ports: 'Gigabit LAN', ...warranty(1) }),
    blurb: 'stable Wi-Fi for a Dhaka flat with concrete walls',
  },
  {
    slug: 'televisions',
    name: 'Televisions',
    parent: 'tv-audio',
    code: 'TV',
    brands: {
      Walton: ml([
        ['WD43 Android', 42900],
        ['W50D210 Google TV', 56900],
        ['W65D120 4K', 98900],
      ]),
      Sony: ml([
        ['Bravia X75L 4K', 84900],
        ['Bravia X80L Google TV', 124900],
        ['Bravia 7 Mini LED', 219900],
      ]),
      Samsung: ml([
        ['Crystal UHD CU7700', 62900],
        ['Crystal UHD DU8000', 79900],
        ['QLED Q60D', 104900],
        ['Neo QLED QN85D', 189900],
      ]),
      LG: ml([
        ['UR7550 4K', 64900],
        ['QNED80', 109900],
        ['OLED B4', 174900],
      ]),
      Singer: ml([
        ['S43 Google TV', 44900],
        ['S55 4K Android', 69900],
      ]),
      Vision: ml([
        ['E10S Smart', 27900],
        ['REX 4K', 49900],
      ]),
      Xiaomi: ml([
        ['TV A 2025', 39900],
        ['TV A Pro 4K', 58900],
      ]),
      Hisense: ml([
        ['A6N 4K', 52900],
        ['U7N Mini LED', 139900],
      ]),
      TCL: ml([
        ['P755 4K', 55900],
        ['C755 QD-Mini LED', 129900],
      ]),
      Jamuna: ml([
        ['JE-43 Smart', 38900],
        ['JE-55 4K', 62900],
      ]),
    },
    variants: [size(32, 0.55), size(43, 0.85), size(50, 1), size(55, 1.18), size(65, 1.55)],
    colours: [''],
    specs: () => ({ Resolution: '4K UHD', 'Smart OS': 'Google TV / Tizen / webOS', HDR: 'HDR10', ...warranty(2) }),
    blurb: 'ready for the Eid films and the cricket season',
  },
  {
    slug: 'earbuds-headphones',
    name: 'Earbuds & Headphones',
    parent: 'tv-audio',
    code: 'EB',
    brands: {
      QCY: ml([
        ['T13 ANC', 2150],
        ['HT05 Melobuds', 2450],
        ['AilyBuds Pro+', 3250],
        ['H3 Headphone', 3650],
      ]),
      Haylou: ml([
        ['GT7 Neo', 1550],
        ['X1 Pro', 2350],
        ['S35 ANC Headphone', 4250],
      ]),
      JBL: ml([
        ['Tune Flex', 7900],
        ['Wave Beam', 5900],
        ['Tune 520BT', 5200],
        ['Live 770NC', 16900],
      ]),
      Sony: ml([
        ['WF-C510', 6900],
        ['WH-CH520', 5900],
        ['WF-1000XM5', 29900],
        ['WH-1000XM5', 36900],
      ]),
      Samsung: ml([
        ['Galaxy Buds FE', 8900],
        ['Galaxy Buds3 Pro', 24900],
      ]),
      Apple: ml([
        ['AirPods 4', 19900],
        ['AirPods Pro 2', 32900],
      ]),
      Soundcore: ml([
        ['Life P3', 6500],
        ['Space A40', 9500],
        ['Life Q30', 8900],
      ]),
      Realme: ml([
        ['Buds T310', 3650],
        ['Buds Air 6', 5400],
      ]),
      Lenovo: ml([
        ['LP40 Pro', 1150],
        ['XT80', 1650],
      ]),
      Edifier: ml([
        ['W820NB Plus', 6900],
        ['X3s', 3650],
      ]),
    },
    variants: [cap('Black', 'BK', 1, 'Colour'), cap('White', 'WH', 1, 'Colour'), cap('Blue', 'BL', 1.02, 'Colour')],
    colours: [''],
    specs: () => ({ Connectivity: 'Bluetooth 5.3', 'Battery Life': 'up to 30 hours with case', ...warranty(1) }),
    blurb: 'clear calls on a noisy Dhaka bus',
  },
  {
    slug: 'speakers',
    name: 'Speakers',
    parent: 'tv-audio',
    code: 'SP',
    brands: {
      JBL: ml([
        ['Go 4', 5400],
        ['Flip 6', 13900],
        ['Charge 5', 19900],
        ['PartyBox Encore', 42900],
      ]),
      Edifier: ml([
        ['R1080BT', 8900],
        ['R1280DB', 13900],
        ['MR4', 12500],
      ]),
      Xiaomi: ml([
        ['Sound Outdoor', 4650],
        ['Mi Portable 16W', 2950],
      ]),
      Microlab: ml([
        ['M-108', 2450],
        ['M-300BT', 5650],
      ]),
      Soundcore: ml([
        ['Motion 300', 9900],
        ['Boom 2', 16900],
      ]),
      Sony: ml([
        ['SRS-XB100', 6400],
        ['ULT Field 1', 13900],
      ]),
      Havit: ml([
        ['SK700BT', 2250],
        ['M80', 1150],
      ]),
    },
    variants: [cap('Standard', 'STD', 1, 'Edition')],
    colours: ['Black', 'Blue', 'Red'],
    specs: () => ({ Connectivity: 'Bluetooth / AUX', ...warranty(1) }),
    blurb: 'big sound for a small room',
  },
  {
    slug: 'refrigerators',
    name: 'Refrigerators',
    parent: 'home-appliances',
    code: 'RF',
    brands: {
      Walton: ml([
        ['WFE-3A2 Direct Cool', 38990],
        ['WNI-6A9 Inverter No-Frost', 79990],
        ['WFC-3F5 Glass Door', 49990],
      ]),
      Singer: ml([
        ['FTA-2D Direct Cool', 41990],
        ['Inverter Frost Free', 72990],
      ]),
      Jamuna: ml([
        ['JR-UES Direct Cool', 37990],
        ['JR-Inverter', 58990],
      ]),
      Minister: ml([
        ['M-Glass Door', 39990],
        ['M-Inverter', 56990],
      ]),
      Samsung: ml([
        ['Digital Inverter Top Mount', 69990],
        ['Bespoke Side by Side', 189990],
      ]),
      LG: ml([
        ['Smart Inverter GL-M', 74990],
        ['Side-by-Side InstaView', 219990],
      ]),
      Sharp: ml([['SJ-EX Plasmacluster', 69990]]),
      Vision: ml([
        ['RE-Glass Door', 35990],
        ['RE-Inverter', 52990],
      ]),
      Haier: ml([['HRF Inverter', 64990]]),
    },
    variants: [
      cap('185 Litre', '185', 0.8, 'Capacity'),
      cap('252 Litre', '252', 1, 'Capacity'),
      cap('309 Litre', '309', 1.18, 'Capacity'),
      cap('380 Litre', '380', 1.4, 'Capacity'),
    ],
    colours: ['Silver', 'Blue Flower', 'Black Glass'],
    specs: () => ({ Compressor: 'inverter, 12 years warranty', Refrigerant: 'R600a', ...warranty(1) }),
    blurb: 'keeps fish and mangoes fresh through load-shedding',
  },
  {
    slug: 'air-conditioners',
    name: 'Air Conditioners',
    parent: 'home-appliances',
    code: 'AC',
    brands: {
      Gree: ml([
        ['GS-12XFV32 Inverter', 78900],
        ['Lomo Non-Inverter', 64900],
      ]),
      General: ml([
        ['ASGA12 Fujitsu', 104900],
        ['ASGG18 Inverter', 139900],
      ]),
      Walton: ml([
        ['WSI-Krystaliner Inverter', 62900],
        ['WSN-Riverine', 52900],
      ]),
      Singer: ml([['Inverter Smart', 69900]]),
      Samsung: ml([['WindFree Inverter', 94900]]),
      LG: ml([['Dual Inverter', 89900]]),
      Midea: ml([['Xtreme Save Inverter', 72900]]),
      Haier: ml([['Clean Cool Inverter', 68900]]),
      Panasonic: ml([['CS-PU Inverter', 86900]]),
      Jamuna: ml([['Inverter Split', 59900]]),
    },
    variants: [cap('1 Ton', '1T', 0.85, 'Capacity'), cap('1.5 Ton', '15T', 1, 'Capacity'), cap('2 Ton', '2T', 1.32, 'Capacity')],
    colours: [''],
    specs: () => ({ Type: 'split', Coverage: '120-250 sq ft', Installation: 'free inside Dhaka', ...warranty(1) }),
    blurb: 'cool sleep through Dhaka summer nights',
  },
  {
    slug: 'washing-machines',
    name: 'Washing Machines',
    parent: 'home-appliances',
    code: 'WM',
    brands: {
      Samsung: ml([
        ['Front Load EcoBubble', 72900],
        ['Top Load Digital Inverter', 46900],
      ]),
      LG: ml([
        ['Front Load AI DD', 79900],
        ['Top Load Smart Inverter', 48900],
      ]),
      Walton: ml([
        ['WWM-TFS Top Load', 29900],
        ['WWM-AFC Front Load', 52900],
      ]),
      Singer: ml([['Top Load Fully Auto', 33900]]),
      Haier: ml([
        ['Twin Tub', 21900],
        ['Front Load', 54900],
      ]),
      Whirlpool: ml([['Stainwash Pro', 44900]]),
    },
    variants: [cap('7 kg', '7', 0.9, 'Capacity'), cap('8 kg', '8', 1, 'Capacity'), cap('10 kg', '10', 1.2, 'Capacity')],
    colours: [''],
    specs: () => ({ Motor: 'inverter', Programmes: '12', ...warranty(2) }),
    blurb: 'handles saris and school uniforms alike',
  },
  {
    slug: 'ceiling-fans',
    name: 'Ceiling Fans',
    parent: 'home-appliances',
    code: 'FN',
    brands: {
      Walton: ml([
        ['WCF5601 Ceiling Fan', 3950],
        ['WCF5605 Remote BLDC', 6250],
      ]),
      'Super Star': ml([
        ['Ceiling Fan Classic', 4150],
        ['Crown BLDC', 6650],
      ]),
      Jamuna: ml([['Ceiling Fan Deluxe', 3850]]),
      Vision: ml([
        ['Ceiling Fan Prime', 3750],
        ['BLDC Remote', 5950],
      ]),
      Click: ml([['Ceiling Fan Energy Saving', 4450]]),
      Miyako: ml([['Royal Ceiling Fan', 3990]]),
      Atomberg: ml([
        ['Renesa BLDC', 7450],
        ['Efficio Alpha', 5950],
      ]),
    },
    variants: [cap('48 inch', '48', 0.93, 'Sweep'), cap('56 inch', '56', 1, 'Sweep')],
    colours: ['White', 'Brown', 'Ivory'],
    specs: () => ({ Speed: '5 speed', 'Power Use': '28-75 W', ...warranty(2) }),
    blurb: 'runs all night on IPS backup',
  },
  {
    slug: 'room-coolers-heaters',
    name: 'Room Coolers & Heaters',
    parent: 'home-appliances',
    code: 'RC',
    brands: {
      Walton: ml([
        ['Air Cooler WAC-40', 14900],
        ['Room Heater WRH', 3450],
      ]),
      Miyako: ml([
        ['Air Cooler MAC', 12900],
        ['Oil Heater', 7950],
      ]),
      Vision: ml([
        ['Rechargeable Fan 16', 6450],
        ['Air Cooler', 11900],
      ]),
      Kennede: ml([
        ['Rechargeable Fan KN-2926', 5950],
        ['Rechargeable Table Fan', 3950],
      ]),
      Defender: ml([['Rechargeable Fan 2916', 6250]]),
    },
    variants: [cap('Standard', 'STD', 1, 'Model'), cap('Remote', 'RM', 1.12, 'Model')],
    colours: ['White', 'Black'],
    specs: () => ({ Backup: 'up to 6 hours on battery', ...warranty(1) }),
    blurb: 'keeps air moving when the power goes',
  },
  {
    slug: 'rice-cookers',
    name: 'Rice Cookers',
    parent: 'kitchen-appliances',
    code: 'RK',
    brands: {
      Miyako: ml([
        ['ASL-402 Rice Cooker', 2950],
        ['Digital Rice Cooker', 5450],
      ]),
      Walton: ml([
        ['WRC-SGA Rice Cooker', 2750],
        ['Multi Cooker', 4950],
      ]),
      Panasonic: ml([['SR-Y18 Rice Cooker', 4650]]),
      Vision: ml([['RC Double Pot', 3250]]),
      Kiam: ml([['Rice Cooker Classic', 2650]]),
      Philips: ml([['HD3132 Rice Cooker', 5650]]),
      Xiaomi: ml([['Mi Smart Rice Cooker', 8450]]),
    },
    variants: [cap('1.8 Litre', '18', 1, 'Capacity'), cap('2.8 Litre', '28', 1.22, 'Capacity')],
    colours: ['White', 'Red', 'Silver'],
    specs: () => ({ Pot: 'non-stick', Functions: 'cook & keep warm', ...warranty(1) }),
    blurb: 'perfect bhaat for the whole family',
  },
  {
    slug: 'blenders',
    name: 'Blenders & Grinders',
    parent: 'kitchen-appliances',
    code: 'BL',
    brands: {
      Miyako: ml([
        ['Apple Blender 3 in 1', 3650],
        ['Jupiter Mixer Grinder', 5450],
      ]),
      Panasonic: ml([
        ['MX-AC300 Mixer Grinder', 6950],
        ['MX-EX1011 Blender', 4950],
      ]),
      Philips: ml([
        ['HL7756 Mixer Grinder', 7450],
        ['HR2115 Blender', 4750],
      ]),
      Walton: ml([
        ['WBL-VK Blender', 2950],
        ['Mixer Grinder', 4150],
      ]),
      Jaipan: ml([
        ['Family Mate', 6250],
        ['Bullet', 4650],
      ]),
      Vision: ml([['Blender 3 in 1', 2850]]),
    },
    variants: [cap('750 W', '750', 1, 'Power'), cap('1000 W', '1000', 1.18, 'Power')],
    colours: ['White', 'Black'],
    specs: () => ({ Jars: '3 stainless steel jars', ...warranty(1) }),
    blurb: 'grinds masala in seconds',
  },
  {
    slug: 'microwave-ovens',
    name: 'Microwave Ovens',
    parent: 'kitchen-appliances',
    code: 'MW',
    brands: {
      Walton: ml([
        ['WMWO-X Solo', 9950],
        ['WMWO Convection', 17950],
      ]),
      Samsung: ml([
        ['MS23 Solo', 13950],
        ['MC28 Convection', 29950],
      ]),
      LG: ml([
        ['MS2043 Solo', 12950],
        ['MC2846 Charcoal', 33950],
      ]),
      Panasonic: ml([['NN-ST34 Solo', 14950]]),
      Miyako: ml([['Electric Oven MT', 7950]]),
      Singer: ml([['Microwave Grill', 15950]]),
    },
    variants: [cap('20 Litre', '20', 0.9, 'Capacity'), cap('28 Litre', '28', 1.15, 'Capacity')],
    colours: ['Black', 'Silver'],
    specs: () => ({ Modes: 'solo / grill / convection', ...warranty(1) }),
    blurb: 'reheats iftar in a minute',
  },
  {
    slug: 'irons-kettles',
    name: 'Irons & Kettles',
    parent: 'kitchen-appliances',
    code: 'IK',
    brands: {
      Philips: ml([
        ['GC1905 Steam Iron', 3150],
        ['HD9350 Kettle', 2850],
        ['HD4646 Kettle', 2650],
      ]),
      Panasonic: ml([
        ['NI-317T Dry Iron', 2450],
        ['NC-GK1 Kettle', 2250],
      ]),
      Miyako: ml([
        ['Electric Kettle 1.8L', 1450],
        ['Dry Iron', 1250],
      ]),
      Walton: ml([
        ['Steam Iron WIR', 1850],
        ['Kettle WK', 1350],
      ]),
      Xiaomi: ml([['Mi Electric Kettle', 2950]]),
      Vision: ml([['Kettle Stainless', 1150]]),
    },
    variants: [cap('Standard', 'STD', 1, 'Model')],
    colours: ['White', 'Blue', 'Silver'],
    specs: () => ({ Power: '1000-2000 W', ...warranty(1) }),
    blurb: 'quick tea and crisp shirts before office',
  },
  {
    slug: 'power-banks',
    name: 'Power Banks',
    parent: 'power-accessories',
    code: 'PB',
    brands: {
      Anker: ml([
        ['PowerCore 10000', 3250],
        ['PowerCore 20000 PD', 5450],
        ['Nano 10000 22.5W', 3950],
      ]),
      Baseus: ml([
        ['Bipow 10000', 1850],
        ['Adaman 20000 65W', 4650],
        ['Blade 100W', 8950],
      ]),
      Xiaomi: ml([
        ['Mi Power Bank 3i', 2250],
        ['Redmi 20000', 2450],
      ]),
      UGREEN: ml([
        ['PB311 10000', 2150],
        ['Nexode 20000 100W', 6450],
      ]),
      Remax: ml([['RPP-96', 1350]]),
      Joyroom: ml([
        ['JR-T013', 1450],
        ['JR-QP195', 2650],
      ]),
      Romoss: ml([['Sense 6PS Pro', 2050]]),
    },
    variants: [cap('10000 mAh', '10K', 0.8, 'Capacity'), cap('20000 mAh', '20K', 1, 'Capacity'), cap('30000 mAh', '30K', 1.3, 'Capacity')],
    colours: ['Black', 'White'],
    specs: () => ({ Output: 'USB-C PD fast charging', ...warranty(1) }),
    blurb: 'keeps your phone alive through load-shedding',
  },
  {
    slug: 'ips-ups',
    name: 'IPS & UPS',
    parent: 'power-accessories',
    code: 'IP',
    brands: {
      Luminous: ml([
        ['Zelio+ 1100 IPS', 14500],
        ['Eco Volt Neo 1050', 11900],
      ]),
      Walton: ml([['WIPS Sine Wave', 12500]]),
      Rahimafrooz: ml([['IPS Instapower', 15500]]),
      'Power Guard': ml([
        ['Offline UPS 650VA', 3950],
        ['Online UPS 1kVA', 16500],
      ]),
      APC: ml([
        ['Back-UPS BX650', 5450],
        ['Smart-UPS 1000', 38900],
      ]),
      Apollo: ml([['1065 Offline UPS', 3350]]),
    },
    variants: [cap('650 VA', '650', 0.7, 'Capacity'), cap('1000 VA', '1K', 1, 'Capacity'), cap('1500 VA', '15K', 1.35, 'Capacity')],
    colours: [''],
    specs: () => ({ Waveform: 'pure sine wave', Backup: 'fans, lights and router for 4+ hours', ...warranty(2) }),
    blurb: 'rides through load-shedding without a flicker',
  },
  {
    slug: 'chargers-cables',
    name: 'Chargers & Cables',
    parent: 'power-accessories',
    code: 'CH',
    brands: {
      Anker: ml([
        ['Nano 20W Charger', 1650],
        ['PowerLine III USB-C Cable', 1150],
        ['Prime 67W GaN', 5450],
      ]),
      Baseus: ml([
        ['GaN5 65W', 3450],
        ['Crystal Shine USB-C Cable', 750],
      ]),
      UGREEN: ml([
        ['Nexode 45W', 2850],
        ['USB-C to Lightning Cable', 1250],
      ]),
      Samsung: ml([
        ['25W Super Fast Charger', 1950],
        ['45W Charger', 3450],
      ]),
      Apple: ml([
        ['20W USB-C Power Adapter', 2950],
        ['USB-C Woven Cable', 2450],
      ]),
      Xiaomi: ml([
        ['33W Charger Combo', 1450],
        ['67W Turbo Charger', 2650],
      ]),
      Remax: ml([
        ['RP-U43 Charger', 650],
        ['RC-094 Cable', 350],
      ]),
    },
    variants: [cap('1 m', '1M', 1, 'Length'), cap('2 m', '2M', 1.15, 'Length')],
    colours: ['White', 'Black'],
    specs: () => ({ Standard: 'USB Power Delivery', ...warranty(1) }),
    blurb: 'original-quality fast charging',
  },
  {
    slug: 'smartwatches',
    name: 'Smartwatches',
    parent: 'power-accessories',
    code: 'SW',
    brands: {
      Amazfit: ml([
        ['Bip 5', 7450],
        ['Active 2', 12900],
        ['GTR 4', 18900],
      ]),
      Xiaomi: ml([
        ['Redmi Watch 5 Active', 3950],
        ['Smart Band 9', 4250],
        ['Watch S4', 14900],
      ]),
      Samsung: ml([
        ['Galaxy Watch7', 32900],
        ['Galaxy Fit3', 6950],
      ]),
      Apple: ml([
        ['Watch SE', 32900],
        ['Watch Series 10', 54900],
      ]),
      Haylou: ml([
        ['Solar Plus RT3', 3450],
        ['Watch S8', 4650],
      ]),
      Kieslect: ml([
        ['Ks 2 Calling', 4450],
        ['Actor Lady', 5950],
      ]),
      Colmi: ml([
        ['P71', 2450],
        ['i28 Ultra', 3150],
      ]),
    },
    variants: [cap('Black', 'BK', 1, 'Strap'), cap('Silver', 'SL', 1.03, 'Strap')],
    colours: [''],
    specs: () => ({ Display: 'AMOLED', Battery: 'up to 10 days', Sensors: 'heart rate, SpO2', ...warranty(1) }),
    blurb: 'Bangla notifications and calling from the wrist',
  },
  {
    slug: 'cameras',
    name: 'Cameras',
    parent: 'cameras-gaming',
    code: 'CM',
    brands: {
      Canon: ml([
        ['EOS R50 Kit', 94900],
        ['EOS 200D II Kit', 79900],
        ['EOS R8 Body', 179900],
      ]),
      Nikon: ml([
        ['Z30 Kit', 89900],
        ['D7500 Body', 104900],
      ]),
      Sony: ml([
        ['ZV-E10 Kit', 84900],
        ['Alpha 7 IV Body', 249900],
        ['ZV-1F', 59900],
      ]),
      Fujifilm: ml([
        ['X-T30 II Kit', 119900],
        ['X-S20 Body', 164900],
      ]),
      GoPro: ml([
        ['HERO13 Black', 54900],
        ['HERO12 Black', 44900],
      ]),
      DJI: ml([
        ['Osmo Pocket 3', 64900],
        ['Osmo Action 5 Pro', 51900],
      ]),
      Imou: ml([
        ['Ranger 2 Wi-Fi Camera', 2950],
        ['Cruiser SE+', 5450],
      ]),
      'TP-Link': ml([
        ['Tapo C200', 2650],
        ['Tapo C310 Outdoor', 4250],
      ]),
    },
    variants: [cap('Standard', 'STD', 1, 'Bundle'), cap('With 64GB card', 'SD64', 1.04, 'Bundle')],
    colours: ['Black'],
    specs: () => ({ Video: '4K', ...warranty(1) }),
    blurb: 'for weddings, vlogs and keeping an eye on the shop',
  },
  {
    slug: 'gaming',
    name: 'Gaming Consoles & Accessories',
    parent: 'cameras-gaming',
    code: 'GM',
    brands: {
      Sony: ml([
        ['PlayStation 5 Slim', 64900],
        ['DualSense Controller', 8450],
        ['PlayStation Portal', 26900],
      ]),
      Microsoft: ml([
        ['Xbox Series S', 46900],
        ['Xbox Series X', 72900],
        ['Xbox Wireless Controller', 7450],
      ]),
      Nintendo: ml([
        ['Switch OLED', 42900],
        ['Switch Lite', 26900],
      ]),
      Fantech: ml([
        ['WGP13 Gamepad', 1850],
        ['Valor MH86 Headset', 2450],
      ]),
      Gamesir: ml([
        ['T4 Pro', 3650],
        ['X2s Mobile Controller', 5950],
      ]),
      Redragon: ml([
        ['Harrow G808', 2650],
        ['Zeus H510 Headset', 4950],
      ]),
    },
    variants: [cap('Standard', 'STD', 1, 'Edition'), cap('Bundle', 'BDL', 1.12, 'Edition')],
    colours: ['Black', 'White'],
    specs: () => ({ Platform: 'console / PC / mobile', ...warranty(1) }),
    blurb: 'for FIFA nights with friends',
  },
];
