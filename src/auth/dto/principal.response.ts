import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Principal } from '../principal.js';

/** The caller, as the API sees them. */
export class PrincipalResponse {
  @ApiProperty({ description: "Better Auth's user id (the token's `sub`): an opaque string", example: 'alice', minLength: 1, maxLength: 255 })
  id!: string;

  @ApiPropertyOptional({ description: 'The email address in the token, if any', example: 'alice@example.com' })
  email?: string;

  @ApiPropertyOptional({ description: 'The display name in the token, if any', example: 'Alice' })
  name?: string;

  @ApiProperty({ description: 'Who vouched for the token: its `iss` (JWKS mode), or `shared-secret` for HS256 tokens', example: 'http://localhost:3000' })
  issuer!: string;

  static from(principal: Principal): PrincipalResponse {
    const response = new PrincipalResponse();
    response.id = principal.id;
    if (principal.email !== undefined) response.email = principal.email;
    if (principal.name !== undefined) response.name = principal.name;
    response.issuer = principal.issuer;
    return response;
  }
}
