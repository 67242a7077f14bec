# Every kind of VPC endpoint in one VPC (10.0.0.0/16).
#
# Subnets (us-east-1a unless noted):
#   public        10.0.0.0/24  IGW, holds the NAT gateway
#   via_nat       10.0.1.0/24  0.0.0.0/0 -> NAT, no gateway endpoint     -> TFVPC401
#   via_endpoint  10.0.2.0/24  0.0.0.0/0 -> NAT + S3 and DynamoDB gateway endpoints (near miss 401)
#   endpoints_a/b 10.0.3/4.0   interface endpoint ENIs (1a, 1b); main route table
#   web           10.0.5.0/24  public, but inspected: 0.0.0.0/0 -> GWLB endpoint
#   firewall      10.0.6.0/24  holds the GWLB endpoint; 0.0.0.0/0 -> IGW
# Endpoints:
#   s3                 Gateway, route_table_ids                                  (correct)
#   dynamodb           Gateway, aws_vpc_endpoint_route_table_association          (correct)
#   sqs_gateway        Gateway endpoint for SQS                                  -> TFVPC106
#   s3_unused          Gateway endpoint with no route table                      -> TFVPC402
#   ssm                Interface, one subnet in one AZ                           -> TFVPC305
#   secretsmanager     Interface, subnet_ids (1a) + aws_vpc_endpoint_subnet_association (1b) (near miss 305)
#   firewall           GatewayLoadBalancer; target of web's default route and of a route in the
#                      IGW edge-association table (10.0.5.0/24, more specific than local)

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

# --- subnets ---------------------------------------------------------------------------

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  availability_zone       = "us-east-1a"
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "via_nat" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"
}

resource "aws_subnet" "via_endpoint" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.2.0/24"
}

resource "aws_subnet" "endpoints_a" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.3.0/24"
}

resource "aws_subnet" "endpoints_b" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.4.0/24"
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  availability_zone       = "us-east-1a"
  cidr_block              = "10.0.5.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "firewall" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.6.0/24"
}

# --- NAT and route tables ----------------------------------------------------------------

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
  depends_on    = [aws_internet_gateway.main]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "firewall" {
  subnet_id      = aws_subnet.firewall.id
  route_table_id = aws_route_table.public.id
}

# S3 and DynamoDB only through the NAT gateway (TFVPC401).
resource "aws_route_table" "via_nat" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "via_nat" {
  subnet_id      = aws_subnet.via_nat.id
  route_table_id = aws_route_table.via_nat.id
}

# Same default route, but the gateway endpoints add prefix-list routes (near miss for 401).
resource "aws_route_table" "via_endpoint" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "via_endpoint" {
  subnet_id      = aws_subnet.via_endpoint.id
  route_table_id = aws_route_table.via_endpoint.id
}

# --- gateway endpoints -------------------------------------------------------------------

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.via_endpoint.id]
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
}

resource "aws_vpc_endpoint_route_table_association" "dynamodb" {
  vpc_endpoint_id = aws_vpc_endpoint.dynamodb.id
  route_table_id  = aws_route_table.via_endpoint.id
}

# WRONG: only S3 and DynamoDB have gateway endpoints; SQS is an interface endpoint (TFVPC106).
resource "aws_vpc_endpoint" "sqs_gateway" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.via_nat.id]
}

# WRONG: a gateway endpoint no route table uses (TFVPC402).
resource "aws_vpc_endpoint" "s3_unused" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
}

# --- interface endpoints -----------------------------------------------------------------

resource "aws_security_group" "endpoints" {
  name        = "vpc-endpoints"
  description = "HTTPS from the VPC to interface endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

# One subnet in one AZ (TFVPC305, note).
resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoints_a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

# Two AZs: one subnet inline, the other through aws_vpc_endpoint_subnet_association (near miss 305).
resource "aws_vpc_endpoint" "secretsmanager" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoints_a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint_subnet_association" "secretsmanager_b" {
  vpc_endpoint_id = aws_vpc_endpoint.secretsmanager.id
  subnet_id       = aws_subnet.endpoints_b.id
}

# --- Gateway Load Balancer endpoint: inspection of the web subnet ------------------------

resource "aws_vpc_endpoint" "firewall" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.firewall.id]
}

# web -> firewall endpoint -> (firewall subnet) -> IGW
resource "aws_route_table" "web" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block      = "0.0.0.0/0"
    vpc_endpoint_id = aws_vpc_endpoint.firewall.id
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

# IGW -> firewall endpoint -> web: ingress routing through an edge association. The route
# for 10.0.5.0/24 is more specific than the local route 10.0.0.0/16 and overrides it.
resource "aws_route_table" "igw_edge" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block      = "10.0.5.0/24"
    vpc_endpoint_id = aws_vpc_endpoint.firewall.id
  }
}

resource "aws_route_table_association" "igw_edge" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.igw_edge.id
}
