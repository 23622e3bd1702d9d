/**
 * The menu and prices (pence) as the peer exports show them. Names keep their case: `Hot Chocolate` and
 * `Hot chocolate` are different products with different prices.
 */
export interface MenuItem {
  name: string;
  flavours: readonly string[] | null;
  regular: number;
  large: number;
}

const TEA = ['Camomile', 'Darjeeling', 'Earl Grey', 'English breakfast', 'Fruit', 'Green', 'Peppermint'];
const SYRUPS = ['Caramel', 'Hazelnut', 'Vanilla'];

export const MENU: readonly MenuItem[] = [
  { name: 'Americano', flavours: null, regular: 195, large: 225 },
  { name: 'Cappuccino', flavours: null, regular: 215, large: 245 },
  { name: 'Chai latte', flavours: null, regular: 230, large: 260 },
  { name: 'Cortado', flavours: null, regular: 205, large: 235 },
  { name: 'Espresso', flavours: null, regular: 150, large: 180 },
  { name: 'Filter coffee', flavours: null, regular: 150, large: 180 },
  { name: 'Flat white', flavours: null, regular: 215, large: 245 },
  { name: 'Flavoured hot chocolate', flavours: SYRUPS, regular: 260, large: 290 },
  { name: 'Flavoured iced latte', flavours: SYRUPS, regular: 275, large: 325 },
  { name: 'Flavoured latte', flavours: [...SYRUPS, 'Gingerbread'], regular: 255, large: 285 },
  { name: 'Frappes', flavours: ['Coffee', 'Strawberries & Cream', 'Chocolate Cookie'], regular: 275, large: 325 },
  { name: 'Glass of milk', flavours: null, regular: 70, large: 110 },
  { name: 'Hot Chocolate', flavours: null, regular: 140, large: 170 },
  { name: 'Hot chocolate', flavours: null, regular: 220, large: 290 },
  { name: 'Iced americano', flavours: null, regular: 215, large: 250 },
  { name: 'Iced latte', flavours: null, regular: 235, large: 285 },
  { name: 'Latte', flavours: null, regular: 215, large: 245 },
  { name: 'Luxury hot chocolate', flavours: null, regular: 240, large: 270 },
  { name: 'Mocha', flavours: null, regular: 230, large: 270 },
  { name: 'Red Label tea', flavours: null, regular: 120, large: 180 },
  { name: 'Smoothies', flavours: ['Berry Beautiful', 'Carrot Kick', 'Glowing Greens'], regular: 200, large: 250 },
  { name: 'Speciality Tea', flavours: TEA, regular: 130, large: 160 },
  { name: 'Babyccino', flavours: null, regular: 0, large: 0 },
];

export const BRANCHES: readonly string[] = [
  'Chesterfield', 'Leeds', 'Uppingham', 'Birmingham', 'Bradford', 'Brighton', 'Bristol', 'Edinburgh', 'Leicester',
  'London Brixton', 'London Camden', 'London Soho', 'Longridge', 'Newcastle upon Tyne', 'Nottingham', 'Sheffield',
  'Southend-on-Sea', 'Aberdeen', 'Isle of Wight',
];

export const FIRST_NAMES = ['Alice', 'Brian', 'Carol', 'Deepak', 'Elena', 'Farah', 'George', 'Hannah', 'Ivan', 'Jade', 'Kofi', 'Lucy'];
export const LAST_NAMES = ['Archer', 'Bennett', 'Chowdhury', 'Dawson', 'Evans', 'Fischer', 'Grant', 'Hughes', 'Iqbal', 'Jones'];
export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover'];
